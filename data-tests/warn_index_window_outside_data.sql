{{ config(severity='warn') }}
{{ cipanel.log_build_warnings(ref('audit_build_warnings'), 'index_window_outside_data') }}
-- An index window (index_catalog.csv) reaching outside the years its components have data for:
-- the weights are estimated on fewer years than the catalog says. The message naming the index
-- and both windows is printed after the build (audit.audit_build_warnings).
select
    subject as index_code,
    message
from {{ ref('audit_build_warnings') }}
where warning_kind = 'index_window_outside_data'

{{ config(severity='warn') }}
{{ cipanel.log_build_warnings(ref('audit_build_warnings'), 'standalone_variable_without_values') }}
-- A standalone variable (a control, an instrument) of the catalog with no value in any input:
-- its panel column is empty and a study using it would silently lose every row. The message
-- naming it is printed after the build (audit.audit_build_warnings).
select
    subject as indicator_code,
    message
from {{ ref('audit_build_warnings') }}
where warning_kind = 'standalone_variable_without_values'

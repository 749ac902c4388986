{{ config(severity='warn') }}
{{ cipanel.log_build_warnings(ref('audit_build_warnings'), 'constant_indicator') }}
-- A constant indicator carries no information: it gets entropy weight 0 (docs/methods.md §1.7). Listed as
-- a warning naming the indicator and its index (audit_build_warnings, from int_index_entropy).
select
    index_code,
    subject as indicator_code,
    message
from {{ ref('audit_build_warnings') }}
where warning_kind = 'constant_indicator'

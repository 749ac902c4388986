-- Every derived-variable cell left null, with the input, its value, the domain rule and why: an
-- input missing, or outside the rule's domain (e.g. ln of a zero or negative value).
select
    unit_code,
    year,
    variable,
    input_indicator,
    input_value,
    domain_rule,
    derivation_status
from {{ ref('int_panel_derivations') }}
where derivation_status <> 'computed'

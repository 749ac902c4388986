-- Variables computed from indicators: the computed rows of int_panel_derivations (where the
-- domain rule of each variable is stated; the rows it leaves null are in audit_derivation_log).
select
    unit_code,
    year,
    variable,
    value,
    false as is_interpolated
from {{ ref('int_panel_derivations') }}
where derivation_status = 'computed'

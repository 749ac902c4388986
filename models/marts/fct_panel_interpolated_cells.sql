-- The interpolated cells of fct_panel, one row per (unit, year, variable): a study counts how many
-- of the cells its regression used were filled (join on unit_code, year and the variable's name).
select
    unit_code,
    year,
    variable
from {{ ref('int_panel_variables_long') }}
where is_interpolated


select unit_code, year, variable, count(*) as n_rows
from "demo"."intermediate"."int_panel_derived_variables"
group by unit_code, year, variable
having count(*) > 1

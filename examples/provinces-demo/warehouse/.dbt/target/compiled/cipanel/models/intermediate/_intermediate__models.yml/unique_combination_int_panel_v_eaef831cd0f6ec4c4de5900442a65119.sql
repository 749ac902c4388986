
select unit_code, year, variable, count(*) as n_rows
from "demo"."intermediate"."int_panel_variables_long"
group by unit_code, year, variable
having count(*) > 1

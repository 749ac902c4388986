
select unit_code, year, variable, count(*) as n_rows
from "demo"."marts"."fct_panel_interpolated_cells"
group by unit_code, year, variable
having count(*) > 1

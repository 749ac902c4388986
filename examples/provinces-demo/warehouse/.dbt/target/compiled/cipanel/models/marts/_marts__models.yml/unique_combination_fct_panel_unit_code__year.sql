
select unit_code, year, count(*) as n_rows
from "demo"."marts"."fct_panel"
group by unit_code, year
having count(*) > 1

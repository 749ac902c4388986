
select index_code, method, dimension_code, unit_code, year, count(*) as n_rows
from "demo"."marts"."fct_index_scores"
group by index_code, method, dimension_code, unit_code, year
having count(*) > 1

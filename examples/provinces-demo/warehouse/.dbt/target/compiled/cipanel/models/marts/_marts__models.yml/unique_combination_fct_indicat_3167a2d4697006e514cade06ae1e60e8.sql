
select index_code, method, weight_year, indicator_code, count(*) as n_rows
from "demo"."marts"."fct_indicator_weights"
group by index_code, method, weight_year, indicator_code
having count(*) > 1

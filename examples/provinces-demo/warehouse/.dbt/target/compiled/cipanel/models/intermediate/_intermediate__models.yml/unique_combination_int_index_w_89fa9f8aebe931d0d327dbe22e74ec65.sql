
select index_code, method, indicator_code, weight_group, count(*) as n_rows
from "demo"."intermediate"."int_index_weights"
group by index_code, method, indicator_code, weight_group
having count(*) > 1

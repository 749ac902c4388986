
select index_code, indicator_code, weight_group, count(*) as n_rows
from "demo"."intermediate"."int_index_weights_critic"
group by index_code, indicator_code, weight_group
having count(*) > 1

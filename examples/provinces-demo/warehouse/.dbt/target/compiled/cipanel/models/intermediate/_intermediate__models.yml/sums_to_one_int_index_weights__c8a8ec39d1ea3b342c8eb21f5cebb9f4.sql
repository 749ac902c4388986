
select index_code, weight_group, sum(weight) as total
from "demo"."intermediate"."int_index_weights_critic"
group by index_code, weight_group
having abs(sum(weight) - 1) > 1e-09 or sum(weight) is null


select index_code, method, weight_group, sum(weight) as total
from "demo"."intermediate"."int_index_weights"
group by index_code, method, weight_group
having abs(sum(weight) - 1) > 1e-09 or sum(weight) is null

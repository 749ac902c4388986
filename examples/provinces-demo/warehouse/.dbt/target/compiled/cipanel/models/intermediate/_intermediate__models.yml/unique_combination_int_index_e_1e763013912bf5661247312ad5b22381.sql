
select index_code, indicator_code, weight_group, count(*) as n_rows
from "demo"."intermediate"."int_index_entropy"
group by index_code, indicator_code, weight_group
having count(*) > 1

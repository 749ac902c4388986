
select scheme, unit_code, count(*) as n_rows
from "demo"."marts"."dim_unit_regions"
group by scheme, unit_code
having count(*) > 1


select scheme, unit_code, count(*) as n_rows
from "new"."marts"."dim_unit_regions"
group by scheme, unit_code
having count(*) > 1


select scheme, unit_code, count(*) as n_rows
from "demo"."staging"."stg_reference__unit_regions"
group by scheme, unit_code
having count(*) > 1

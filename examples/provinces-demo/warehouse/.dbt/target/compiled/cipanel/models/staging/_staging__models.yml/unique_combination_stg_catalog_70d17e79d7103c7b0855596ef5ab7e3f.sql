
select index_code, dimension_code, count(*) as n_rows
from "demo"."staging"."stg_catalog__dimensions"
group by index_code, dimension_code
having count(*) > 1

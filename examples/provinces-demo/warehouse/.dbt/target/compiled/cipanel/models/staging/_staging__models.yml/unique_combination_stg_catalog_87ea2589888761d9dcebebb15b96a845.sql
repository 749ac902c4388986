
select indicator_code, index_code, count(*) as n_rows
from "w"."staging"."stg_catalog__indicators"
group by indicator_code, index_code
having count(*) > 1

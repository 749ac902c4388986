
select *
from "demo"."staging"."stg_catalog__indices"
where not (window_start <= window_end)

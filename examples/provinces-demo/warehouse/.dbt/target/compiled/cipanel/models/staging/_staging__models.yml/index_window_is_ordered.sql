
select *
from "new"."staging"."stg_catalog__indices"
where not (window_start <= window_end)

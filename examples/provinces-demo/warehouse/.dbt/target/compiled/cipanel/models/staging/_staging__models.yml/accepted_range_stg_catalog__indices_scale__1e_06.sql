
select *
from "demo"."staging"."stg_catalog__indices"
where
    scale is not null
    and (
        false
         or scale < 1e-06 - 0
        
    )

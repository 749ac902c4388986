
select *
from "demo"."staging"."stg_catalog__indices"
where
    shift is not null
    and (
        false
         or shift < 0 - 0
        
    )

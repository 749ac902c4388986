
    
    



select index_code
from "demo"."staging"."stg_catalog__indices"
where index_code is null



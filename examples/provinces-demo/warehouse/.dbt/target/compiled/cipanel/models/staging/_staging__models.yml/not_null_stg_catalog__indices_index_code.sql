
    
    



select index_code
from "new"."staging"."stg_catalog__indices"
where index_code is null



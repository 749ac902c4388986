
    
    



select indicator_code
from "new"."staging"."stg_catalog__indicators"
where indicator_code is null



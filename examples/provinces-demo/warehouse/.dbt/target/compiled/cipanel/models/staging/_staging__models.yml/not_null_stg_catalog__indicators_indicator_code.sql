
    
    



select indicator_code
from "w"."staging"."stg_catalog__indicators"
where indicator_code is null



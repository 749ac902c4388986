
    
    



select scheme
from "demo"."staging"."stg_reference__unit_regions"
where scheme is null




    
    



select scheme
from "new"."staging"."stg_reference__unit_regions"
where scheme is null




    
    



select unit_code
from "new"."staging"."stg_reference__unit_regions"
where unit_code is null



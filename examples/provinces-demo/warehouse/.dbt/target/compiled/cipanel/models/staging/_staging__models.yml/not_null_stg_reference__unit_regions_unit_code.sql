
    
    



select unit_code
from "demo"."staging"."stg_reference__unit_regions"
where unit_code is null




    
    



select region_code
from "demo"."staging"."stg_reference__unit_regions"
where region_code is null



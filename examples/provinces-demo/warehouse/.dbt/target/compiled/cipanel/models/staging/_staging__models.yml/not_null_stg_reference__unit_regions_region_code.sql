
    
    



select region_code
from "new"."staging"."stg_reference__unit_regions"
where region_code is null



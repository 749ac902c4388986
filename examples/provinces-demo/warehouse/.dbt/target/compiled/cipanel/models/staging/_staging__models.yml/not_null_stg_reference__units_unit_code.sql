
    
    



select unit_code
from "new"."staging"."stg_reference__units"
where unit_code is null



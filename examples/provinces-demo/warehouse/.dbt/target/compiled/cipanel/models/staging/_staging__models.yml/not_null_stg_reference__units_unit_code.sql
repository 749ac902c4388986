
    
    



select unit_code
from "w"."staging"."stg_reference__units"
where unit_code is null



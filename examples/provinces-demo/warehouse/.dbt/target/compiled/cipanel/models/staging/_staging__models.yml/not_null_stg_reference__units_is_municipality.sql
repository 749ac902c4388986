
    
    



select is_municipality
from "w"."staging"."stg_reference__units"
where is_municipality is null



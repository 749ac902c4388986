
    
    



select is_municipality
from "new"."staging"."stg_reference__units"
where is_municipality is null




    
    



select in_sample
from "w"."staging"."stg_reference__units"
where in_sample is null



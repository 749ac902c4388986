
    
    



select in_sample
from "new"."staging"."stg_reference__units"
where in_sample is null



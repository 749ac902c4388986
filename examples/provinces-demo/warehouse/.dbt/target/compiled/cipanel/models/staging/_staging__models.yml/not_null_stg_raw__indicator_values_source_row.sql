
    
    



select source_row
from "demo"."staging"."stg_raw__indicator_values"
where source_row is null




    
    



select source_row
from "new"."staging"."stg_raw__indicator_values"
where source_row is null



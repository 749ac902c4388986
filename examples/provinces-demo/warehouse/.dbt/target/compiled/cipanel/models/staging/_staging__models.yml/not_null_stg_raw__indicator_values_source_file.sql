
    
    



select source_file
from "demo"."staging"."stg_raw__indicator_values"
where source_file is null




    
    



select source_file
from "new"."staging"."stg_raw__indicator_values"
where source_file is null




    
    



select source_file
from "demo"."audit"."audit_rejected_rows"
where source_file is null



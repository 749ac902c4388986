
    
    



select source_file
from "new"."audit"."audit_rejected_rows"
where source_file is null



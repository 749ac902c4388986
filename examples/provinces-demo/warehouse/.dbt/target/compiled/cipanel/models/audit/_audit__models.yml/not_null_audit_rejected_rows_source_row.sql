
    
    



select source_row
from "new"."audit"."audit_rejected_rows"
where source_row is null



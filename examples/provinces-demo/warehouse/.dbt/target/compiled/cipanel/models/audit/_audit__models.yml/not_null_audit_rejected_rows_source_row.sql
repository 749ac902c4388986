
    
    



select source_row
from "demo"."audit"."audit_rejected_rows"
where source_row is null



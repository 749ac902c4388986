
    
    



select rejection_reason
from "demo"."audit"."audit_rejected_rows"
where rejection_reason is null



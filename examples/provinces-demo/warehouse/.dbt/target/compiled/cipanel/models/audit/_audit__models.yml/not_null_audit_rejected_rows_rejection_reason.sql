
    
    



select rejection_reason
from "new"."audit"."audit_rejected_rows"
where rejection_reason is null




    
    



select source_file
from "demo"."audit"."audit_row_accounting"
where source_file is null



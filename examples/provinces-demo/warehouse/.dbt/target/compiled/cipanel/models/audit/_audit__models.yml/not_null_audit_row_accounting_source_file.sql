
    
    



select source_file
from "new"."audit"."audit_row_accounting"
where source_file is null



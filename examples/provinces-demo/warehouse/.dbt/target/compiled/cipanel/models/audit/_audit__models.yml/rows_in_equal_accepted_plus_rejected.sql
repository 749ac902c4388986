
select *
from "demo"."audit"."audit_row_accounting"
where not (rows_landed = rows_accepted + rows_rejected)

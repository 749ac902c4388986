
select unit_code, indicator_code, year, count(*) as n_rows
from "demo"."audit"."audit_imputation_log"
group by unit_code, indicator_code, year
having count(*) > 1

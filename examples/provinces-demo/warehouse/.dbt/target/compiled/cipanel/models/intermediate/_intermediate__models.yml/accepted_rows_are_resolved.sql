
select *
from "demo"."intermediate"."int_indicator_values_validated"
where not (rejection_reason is not null or (unit_code is not null and indicator_code is not null and year is not null))

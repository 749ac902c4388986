
select unit_code, indicator_code, year, count(*) as n_rows
from "demo"."intermediate"."int_indicator_values_interpolated"
group by unit_code, indicator_code, year
having count(*) > 1


select index_code, indicator_code, unit_code, year, count(*) as n_rows
from "demo"."intermediate"."int_indicators_normalised"
group by index_code, indicator_code, unit_code, year
having count(*) > 1

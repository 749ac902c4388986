
select index_code, dimension_code, unit_code, year, count(*) as n_rows
from "demo"."intermediate"."int_index_scores_topsis"
group by index_code, dimension_code, unit_code, year
having count(*) > 1

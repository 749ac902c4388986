
select index_code, unit_code, year, count(*) as n_rows
from "demo"."intermediate"."int_index_scores_pca"
group by index_code, unit_code, year
having count(*) > 1

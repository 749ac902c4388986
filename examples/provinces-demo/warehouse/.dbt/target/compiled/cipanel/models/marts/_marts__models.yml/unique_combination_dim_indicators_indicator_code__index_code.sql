
select indicator_code, index_code, count(*) as n_rows
from "demo"."marts"."dim_indicators"
group by indicator_code, index_code
having count(*) > 1


    
    



select unit_code
from "demo"."marts"."fct_index_scores"
where unit_code is null



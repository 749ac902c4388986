
    
    



select unit_code
from "new"."marts"."fct_index_scores"
where unit_code is null



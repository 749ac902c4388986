
    
    



select index_code
from "demo"."marts"."fct_index_scores"
where index_code is null



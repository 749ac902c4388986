
    
    



select index_code
from "new"."marts"."fct_index_scores"
where index_code is null



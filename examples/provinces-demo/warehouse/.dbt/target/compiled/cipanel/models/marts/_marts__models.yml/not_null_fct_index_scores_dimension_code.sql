
    
    



select dimension_code
from "demo"."marts"."fct_index_scores"
where dimension_code is null



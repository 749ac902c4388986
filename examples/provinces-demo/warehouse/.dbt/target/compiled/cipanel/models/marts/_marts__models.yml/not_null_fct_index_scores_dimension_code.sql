
    
    



select dimension_code
from "new"."marts"."fct_index_scores"
where dimension_code is null



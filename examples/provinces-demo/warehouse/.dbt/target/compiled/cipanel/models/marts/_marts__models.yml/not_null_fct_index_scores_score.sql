
    
    



select score
from "demo"."marts"."fct_index_scores"
where score is null



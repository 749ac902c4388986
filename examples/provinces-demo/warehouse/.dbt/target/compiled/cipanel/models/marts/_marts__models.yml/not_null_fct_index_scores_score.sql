
    
    



select score
from "new"."marts"."fct_index_scores"
where score is null



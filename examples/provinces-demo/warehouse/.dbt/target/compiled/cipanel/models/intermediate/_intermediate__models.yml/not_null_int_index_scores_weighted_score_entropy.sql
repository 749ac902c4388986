
    
    



select score_entropy
from "demo"."intermediate"."int_index_scores_weighted"
where score_entropy is null




    
    



select score_critic
from "demo"."intermediate"."int_index_scores_weighted"
where score_critic is null



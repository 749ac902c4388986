
    
    



select score_critic
from "new"."intermediate"."int_index_scores_weighted"
where score_critic is null



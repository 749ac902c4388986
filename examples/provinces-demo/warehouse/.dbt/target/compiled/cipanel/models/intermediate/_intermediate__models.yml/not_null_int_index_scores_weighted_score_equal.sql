
    
    



select score_equal
from "new"."intermediate"."int_index_scores_weighted"
where score_equal is null



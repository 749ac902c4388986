
    
    



select score_equal
from "demo"."intermediate"."int_index_scores_weighted"
where score_equal is null



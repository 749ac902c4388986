
    
    



select score
from "demo"."intermediate"."int_index_scores_pca"
where score is null



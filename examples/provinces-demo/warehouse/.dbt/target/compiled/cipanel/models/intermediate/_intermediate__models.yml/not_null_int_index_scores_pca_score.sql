
    
    



select score
from "new"."intermediate"."int_index_scores_pca"
where score is null




    
    



select year
from "new"."marts"."fct_index_scores"
where year is null



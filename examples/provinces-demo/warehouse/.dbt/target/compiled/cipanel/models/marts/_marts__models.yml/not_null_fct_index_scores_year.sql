
    
    



select year
from "demo"."marts"."fct_index_scores"
where year is null



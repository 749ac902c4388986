
    
    



select weight
from "new"."marts"."fct_indicator_weights"
where weight is null



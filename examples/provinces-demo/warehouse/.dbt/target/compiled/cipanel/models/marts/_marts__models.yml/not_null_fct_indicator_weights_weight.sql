
    
    



select weight
from "demo"."marts"."fct_indicator_weights"
where weight is null



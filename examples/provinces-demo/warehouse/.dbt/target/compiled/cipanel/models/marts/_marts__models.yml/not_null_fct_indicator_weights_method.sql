
    
    



select method
from "demo"."marts"."fct_indicator_weights"
where method is null



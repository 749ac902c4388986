
    
    



select indicator_code
from "demo"."marts"."fct_indicator_weights"
where indicator_code is null



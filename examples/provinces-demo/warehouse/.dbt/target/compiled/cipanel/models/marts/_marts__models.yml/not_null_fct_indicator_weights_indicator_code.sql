
    
    



select indicator_code
from "new"."marts"."fct_indicator_weights"
where indicator_code is null



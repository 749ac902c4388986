
    
    



select index_code
from "demo"."marts"."fct_indicator_weights"
where index_code is null



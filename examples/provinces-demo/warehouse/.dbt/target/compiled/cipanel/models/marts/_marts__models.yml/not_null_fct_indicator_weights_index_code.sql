
    
    



select index_code
from "new"."marts"."fct_indicator_weights"
where index_code is null




    
    



select method
from "new"."marts"."fct_indicator_weights"
where method is null



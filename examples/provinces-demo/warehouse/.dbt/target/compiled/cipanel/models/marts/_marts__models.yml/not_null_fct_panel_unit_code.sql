
    
    



select unit_code
from "demo"."marts"."fct_panel"
where unit_code is null



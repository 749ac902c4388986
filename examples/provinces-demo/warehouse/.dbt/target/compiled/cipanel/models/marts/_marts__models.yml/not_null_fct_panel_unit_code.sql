
    
    



select unit_code
from "new"."marts"."fct_panel"
where unit_code is null




    
    



select year
from "demo"."marts"."fct_panel"
where year is null



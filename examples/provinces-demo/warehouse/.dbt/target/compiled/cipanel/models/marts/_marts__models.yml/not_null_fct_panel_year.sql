
    
    



select year
from "new"."marts"."fct_panel"
where year is null



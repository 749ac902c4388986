
    
    



select variable
from "demo"."marts"."fct_panel_interpolated_cells"
where variable is null




    
    



select variable
from "new"."marts"."fct_panel_interpolated_cells"
where variable is null



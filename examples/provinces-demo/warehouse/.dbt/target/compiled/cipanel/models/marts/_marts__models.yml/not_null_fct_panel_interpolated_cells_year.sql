
    
    



select year
from "demo"."marts"."fct_panel_interpolated_cells"
where year is null



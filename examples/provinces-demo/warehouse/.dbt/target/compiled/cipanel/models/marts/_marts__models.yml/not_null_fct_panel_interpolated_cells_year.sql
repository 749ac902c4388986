
    
    



select year
from "new"."marts"."fct_panel_interpolated_cells"
where year is null




    
    



select unit_code
from "demo"."marts"."fct_panel_interpolated_cells"
where unit_code is null



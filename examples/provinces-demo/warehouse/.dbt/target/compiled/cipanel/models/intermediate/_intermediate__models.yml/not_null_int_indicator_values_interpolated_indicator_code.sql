
    
    



select indicator_code
from "demo"."intermediate"."int_indicator_values_interpolated"
where indicator_code is null




    
    



select indicator_code
from "new"."intermediate"."int_indicator_values_interpolated"
where indicator_code is null



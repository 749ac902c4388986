
    
    



select unit_code
from "demo"."intermediate"."int_indicator_values_interpolated"
where unit_code is null



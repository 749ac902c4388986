
    
    



select unit_code
from "new"."intermediate"."int_indicator_values_interpolated"
where unit_code is null



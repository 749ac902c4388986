
    
    



select year
from "demo"."intermediate"."int_indicator_values_interpolated"
where year is null



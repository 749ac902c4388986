
    
    



select year
from "new"."intermediate"."int_indicator_values_interpolated"
where year is null



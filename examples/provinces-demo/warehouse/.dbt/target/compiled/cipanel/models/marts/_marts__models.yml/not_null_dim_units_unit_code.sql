
    
    



select unit_code
from "demo"."marts"."dim_units"
where unit_code is null



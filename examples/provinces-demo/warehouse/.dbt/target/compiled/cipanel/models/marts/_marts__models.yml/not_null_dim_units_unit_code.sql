
    
    



select unit_code
from "new"."marts"."dim_units"
where unit_code is null



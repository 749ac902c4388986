
    
    



select weight
from "demo"."intermediate"."int_index_weights_entropy"
where weight is null



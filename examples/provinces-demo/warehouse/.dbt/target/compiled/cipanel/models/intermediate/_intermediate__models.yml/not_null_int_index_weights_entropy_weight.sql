
    
    



select weight
from "new"."intermediate"."int_index_weights_entropy"
where weight is null



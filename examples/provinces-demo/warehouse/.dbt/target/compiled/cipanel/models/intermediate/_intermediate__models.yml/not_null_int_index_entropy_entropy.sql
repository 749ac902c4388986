
    
    



select entropy
from "demo"."intermediate"."int_index_entropy"
where entropy is null



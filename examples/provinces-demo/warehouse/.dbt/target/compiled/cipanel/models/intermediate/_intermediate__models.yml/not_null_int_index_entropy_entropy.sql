
    
    



select entropy
from "new"."intermediate"."int_index_entropy"
where entropy is null



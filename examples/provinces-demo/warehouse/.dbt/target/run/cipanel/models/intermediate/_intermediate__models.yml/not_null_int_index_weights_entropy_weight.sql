
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select weight
from "demo"."intermediate"."int_index_weights_entropy"
where weight is null



  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select entropy
from "demo"."intermediate"."int_index_entropy"
where entropy is null



  
  
      
    ) dbt_internal_test
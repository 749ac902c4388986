
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select indicator_code
from "demo"."marts"."fct_indicator_weights"
where indicator_code is null



  
  
      
    ) dbt_internal_test
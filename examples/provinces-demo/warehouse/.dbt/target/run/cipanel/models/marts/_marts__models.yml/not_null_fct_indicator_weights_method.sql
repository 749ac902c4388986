
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select method
from "demo"."marts"."fct_indicator_weights"
where method is null



  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select index_code
from "demo"."marts"."fct_indicator_weights"
where index_code is null



  
  
      
    ) dbt_internal_test
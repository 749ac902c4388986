
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select score
from "demo"."marts"."fct_index_scores"
where score is null



  
  
      
    ) dbt_internal_test
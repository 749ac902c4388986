
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select score_equal
from "demo"."intermediate"."int_index_scores_weighted"
where score_equal is null



  
  
      
    ) dbt_internal_test
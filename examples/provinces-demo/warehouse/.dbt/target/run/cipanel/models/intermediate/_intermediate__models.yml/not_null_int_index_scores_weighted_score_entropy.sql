
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select score_entropy
from "demo"."intermediate"."int_index_scores_weighted"
where score_entropy is null



  
  
      
    ) dbt_internal_test
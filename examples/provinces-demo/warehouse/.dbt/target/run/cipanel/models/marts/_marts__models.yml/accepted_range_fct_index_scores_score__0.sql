
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select *
from "demo"."marts"."fct_index_scores"
where
    score is not null
    and (
        false
         or score < 0 - 0
        
    )

  
  
      
    ) dbt_internal_test
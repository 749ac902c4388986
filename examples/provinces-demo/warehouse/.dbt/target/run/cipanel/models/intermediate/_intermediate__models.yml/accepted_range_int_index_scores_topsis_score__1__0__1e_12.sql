
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select *
from "demo"."intermediate"."int_index_scores_topsis"
where
    score is not null
    and (
        false
         or score < 0 - 1e-12
         or score > 1 + 1e-12
    )

  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select *
from "demo"."marts"."fct_indicator_weights"
where
    weight is not null
    and (
        false
         or weight < 0 - 1e-12
         or weight > 1 + 1e-12
    )

  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select *
from "demo"."intermediate"."int_indicators_normalised"
where
    z is not null
    and (
        false
         or z < 0 - 1e-12
         or z > 1 + 1e-12
    )

  
  
      
    ) dbt_internal_test
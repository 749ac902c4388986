
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select *
from "demo"."intermediate"."int_index_entropy"
where
    entropy is not null
    and (
        false
         or entropy < 0 - 1e-12
         or entropy > 1 + 1e-12
    )

  
  
      
    ) dbt_internal_test
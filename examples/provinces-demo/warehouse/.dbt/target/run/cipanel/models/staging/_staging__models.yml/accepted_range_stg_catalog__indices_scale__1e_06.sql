
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select *
from "demo"."staging"."stg_catalog__indices"
where
    scale is not null
    and (
        false
         or scale < 1e-06 - 0
        
    )

  
  
      
    ) dbt_internal_test
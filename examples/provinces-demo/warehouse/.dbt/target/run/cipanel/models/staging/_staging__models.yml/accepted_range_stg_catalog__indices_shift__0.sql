
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select *
from "demo"."staging"."stg_catalog__indices"
where
    shift is not null
    and (
        false
         or shift < 0 - 0
        
    )

  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select *
from "demo"."staging"."stg_catalog__indices"
where not (window_start <= window_end)

  
  
      
    ) dbt_internal_test
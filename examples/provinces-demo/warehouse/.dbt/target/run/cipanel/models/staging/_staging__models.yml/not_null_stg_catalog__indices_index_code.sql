
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select index_code
from "demo"."staging"."stg_catalog__indices"
where index_code is null



  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select scheme
from "demo"."staging"."stg_reference__unit_regions"
where scheme is null



  
  
      
    ) dbt_internal_test
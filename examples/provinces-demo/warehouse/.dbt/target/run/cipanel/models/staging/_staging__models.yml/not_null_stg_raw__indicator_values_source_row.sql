
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select source_row
from "demo"."staging"."stg_raw__indicator_values"
where source_row is null



  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select source
from "w"."staging"."stg_catalog__indicators"
where source is null



  
  
      
    ) dbt_internal_test
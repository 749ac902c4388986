
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select label_zh
from "w"."staging"."stg_catalog__indicators"
where label_zh is null



  
  
      
    ) dbt_internal_test
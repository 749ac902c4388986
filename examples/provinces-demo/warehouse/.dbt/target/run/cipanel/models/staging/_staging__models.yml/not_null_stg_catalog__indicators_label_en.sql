
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select label_en
from "w"."staging"."stg_catalog__indicators"
where label_en is null



  
  
      
    ) dbt_internal_test
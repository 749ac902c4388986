
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select is_municipality
from "w"."staging"."stg_reference__units"
where is_municipality is null



  
  
      
    ) dbt_internal_test
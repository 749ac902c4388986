
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select in_sample
from "w"."staging"."stg_reference__units"
where in_sample is null



  
  
      
    ) dbt_internal_test
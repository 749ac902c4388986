
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select scheme, unit_code, count(*) as n_rows
from "demo"."staging"."stg_reference__unit_regions"
group by scheme, unit_code
having count(*) > 1

  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select *
from "demo"."intermediate"."int_indicator_values_validated"
where not (rejection_reason is not null or (unit_code is not null and indicator_code is not null and year is not null))

  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select unit_code, indicator_code, year, count(*) as n_rows
from "demo"."audit"."audit_imputation_log"
group by unit_code, indicator_code, year
having count(*) > 1

  
  
      
    ) dbt_internal_test
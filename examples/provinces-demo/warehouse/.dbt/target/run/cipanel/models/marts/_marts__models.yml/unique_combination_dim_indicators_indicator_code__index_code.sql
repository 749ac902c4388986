
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select indicator_code, index_code, count(*) as n_rows
from "demo"."marts"."dim_indicators"
group by indicator_code, index_code
having count(*) > 1

  
  
      
    ) dbt_internal_test
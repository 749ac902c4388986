
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select index_code, method, weight_year, sum(weight) as total
from "demo"."marts"."fct_indicator_weights"
group by index_code, method, weight_year
having abs(sum(weight) - 1) > 1e-09 or sum(weight) is null

  
  
      
    ) dbt_internal_test
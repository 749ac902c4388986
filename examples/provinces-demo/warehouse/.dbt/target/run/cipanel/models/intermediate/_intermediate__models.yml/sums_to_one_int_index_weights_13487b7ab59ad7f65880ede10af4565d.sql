
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select index_code, method, weight_group, sum(weight) as total
from "demo"."intermediate"."int_index_weights"
group by index_code, method, weight_group
having abs(sum(weight) - 1) > 1e-09 or sum(weight) is null

  
  
      
    ) dbt_internal_test
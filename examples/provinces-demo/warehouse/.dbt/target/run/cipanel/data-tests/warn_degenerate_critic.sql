
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
-- CRITIC is undefined when no indicator of an index carries information (all constant or
-- perfectly correlated); int_index_weights_critic then falls back to equal weights.
select
    index_code,
    weight_group
from "demo"."intermediate"."int_index_weights_critic"
group by index_code, weight_group
having sum(information) = 0
  
  
      
    ) dbt_internal_test
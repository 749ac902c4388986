
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select index_code, indicator_code, weight_group, count(*) as n_rows
from "demo"."intermediate"."int_index_weights_entropy"
group by index_code, indicator_code, weight_group
having count(*) > 1

  
  
      
    ) dbt_internal_test
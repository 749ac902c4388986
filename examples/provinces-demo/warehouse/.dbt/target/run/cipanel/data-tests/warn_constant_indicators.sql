
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
-- A constant indicator carries no information: it gets entropy weight 0 (METHODS 1.7). Listed as
-- a warning so the analyst sees which indicator it is.
select
    index_code,
    indicator_code,
    weight_group
from "demo"."intermediate"."int_index_entropy"
where is_constant
  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select year
from "demo"."intermediate"."int_indicator_values_interpolated"
where year is null



  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select unit_code
from "demo"."marts"."fct_panel_interpolated_cells"
where unit_code is null



  
  
      
    ) dbt_internal_test
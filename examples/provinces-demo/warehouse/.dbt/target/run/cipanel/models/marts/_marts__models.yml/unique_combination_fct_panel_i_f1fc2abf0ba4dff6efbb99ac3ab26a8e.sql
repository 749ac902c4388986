
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select unit_code, year, variable, count(*) as n_rows
from "demo"."marts"."fct_panel_interpolated_cells"
group by unit_code, year, variable
having count(*) > 1

  
  
      
    ) dbt_internal_test
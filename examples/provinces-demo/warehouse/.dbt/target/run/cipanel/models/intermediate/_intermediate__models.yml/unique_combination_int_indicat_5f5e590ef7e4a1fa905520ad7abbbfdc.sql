
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select source_file, source_sheet, source_row, source_column, count(*) as n_rows
from "demo"."intermediate"."int_indicator_values_validated"
group by source_file, source_sheet, source_row, source_column
having count(*) > 1

  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select index_code, unit_code, year, count(*) as n_rows
from "demo"."intermediate"."int_index_scores_pca"
group by index_code, unit_code, year
having count(*) > 1

  
  
      
    ) dbt_internal_test
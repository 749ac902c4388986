
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select index_code, dimension_code, count(*) as n_rows
from "demo"."staging"."stg_catalog__dimensions"
group by index_code, dimension_code
having count(*) > 1

  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select *
from "w"."staging"."stg_catalog__indicators"
where not (has_valid_direction)

  
  
      
    ) dbt_internal_test
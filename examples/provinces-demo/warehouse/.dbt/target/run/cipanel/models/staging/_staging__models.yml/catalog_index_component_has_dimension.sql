
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select *
from "w"."staging"."stg_catalog__indicators"
where not (not is_index_component or dimension_code is not null)

  
  
      
    ) dbt_internal_test
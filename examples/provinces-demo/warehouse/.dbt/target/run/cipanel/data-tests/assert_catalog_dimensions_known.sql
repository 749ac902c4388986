
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  -- Every (index, dimension) used in the indicator catalog has a label in dimension_catalog.csv.
select
    indicators.indicator_code,
    indicators.index_code,
    indicators.dimension_code
from "w"."staging"."stg_catalog__indicators" as indicators
left join "w"."staging"."stg_catalog__dimensions" as dimensions
    on
        indicators.index_code = dimensions.index_code
        and indicators.dimension_code = dimensions.dimension_code
where indicators.is_index_component and dimensions.dimension_code is null
  
  
      
    ) dbt_internal_test
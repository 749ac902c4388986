
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        value_status as value_field,
        count(*) as n_records

    from "demo"."intermediate"."int_indicator_values_interpolated"
    group by value_status

)

select *
from all_values
where value_field not in (
    'observed','interpolated','not_interpolated','missing_leading','missing_trailing','no_observation'
)



  
  
      
    ) dbt_internal_test
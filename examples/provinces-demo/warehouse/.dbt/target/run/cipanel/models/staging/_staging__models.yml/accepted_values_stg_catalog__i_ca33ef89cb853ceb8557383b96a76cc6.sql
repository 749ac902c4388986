
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        score_basis as value_field,
        count(*) as n_records

    from "demo"."staging"."stg_catalog__indices"
    group by score_basis

)

select *
from all_values
where value_field not in (
    'z','z_shifted','p'
)



  
  
      
    ) dbt_internal_test
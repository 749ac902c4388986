
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with child as (
    select index_code as from_field
    from "demo"."staging"."stg_catalog__dimensions"
    where index_code is not null
),

parent as (
    select index_code as to_field
    from "demo"."staging"."stg_catalog__indices"
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null



  
  
      
    ) dbt_internal_test
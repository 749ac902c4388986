
    
    

with all_values as (

    select
        weighting as value_field,
        count(*) as n_records

    from "demo"."staging"."stg_catalog__indices"
    group by weighting

)

select *
from all_values
where value_field not in (
    'pooled','per_year'
)



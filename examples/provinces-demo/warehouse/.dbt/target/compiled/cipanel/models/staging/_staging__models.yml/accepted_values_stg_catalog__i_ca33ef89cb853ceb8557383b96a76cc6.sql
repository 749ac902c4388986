
    
    

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



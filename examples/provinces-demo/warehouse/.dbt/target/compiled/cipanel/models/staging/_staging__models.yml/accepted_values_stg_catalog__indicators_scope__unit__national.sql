
    
    

with all_values as (

    select
        scope as value_field,
        count(*) as n_records

    from "w"."staging"."stg_catalog__indicators"
    group by scope

)

select *
from all_values
where value_field not in (
    'unit','national'
)



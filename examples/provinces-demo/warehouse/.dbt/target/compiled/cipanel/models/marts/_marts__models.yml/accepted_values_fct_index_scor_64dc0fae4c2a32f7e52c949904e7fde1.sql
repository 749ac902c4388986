
    
    

with all_values as (

    select
        method as value_field,
        count(*) as n_records

    from "demo"."marts"."fct_index_scores"
    group by method

)

select *
from all_values
where value_field not in (
    'entropy','equal','critic','topsis','pca'
)



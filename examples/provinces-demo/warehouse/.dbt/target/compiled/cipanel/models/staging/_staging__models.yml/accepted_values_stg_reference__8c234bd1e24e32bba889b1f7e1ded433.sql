
    
    

with all_values as (

    select
        unit_type as value_field,
        count(*) as n_records

    from "w"."staging"."stg_reference__units"
    group by unit_type

)

select *
from all_values
where value_field not in (
    'municipality','province','autonomous_region','nation','city','county','firm','country','unit','other'
)



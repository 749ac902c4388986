
    
    

with child as (
    select unit_code as from_field
    from "demo"."marts"."fct_panel_interpolated_cells"
    where unit_code is not null
),

parent as (
    select unit_code as to_field
    from "demo"."marts"."dim_units"
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null



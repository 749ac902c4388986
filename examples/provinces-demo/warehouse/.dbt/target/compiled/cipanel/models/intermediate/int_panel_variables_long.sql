-- Every variable of the unit-year panel in long form: raw indicators (interpolated), index and
-- dimension scores of every method, and the derived variables studies use.
with panel_values as (
    select
        values_.unit_code,
        values_.year,
        values_.indicator_code as variable,
        values_.value,
        values_.value_status = 'interpolated' as is_interpolated
    from "demo"."intermediate"."int_indicator_values_interpolated" as values_
    inner join "demo"."staging"."stg_reference__units" as units
        on values_.unit_code = units.unit_code
    where
        units.in_sample
        and values_.year between 2014 and 2023
),

scores as (
    select
        unit_code,
        year,
        -- entropy total: <index>; dimension: <index>_<dimension>; alternatives: <index>_<method>
        index_code
        || case when dimension_code = '_all' then '' else '_' || dimension_code end
        || case when method = 'entropy' then '' else '_' || method end as variable,
        score as value,
        false as is_interpolated
    from "demo"."marts"."fct_index_scores"
    where dimension_code = '_all' or method = 'entropy'
)

select * from panel_values
union all
select * from scores
union all
select
    unit_code,
    year,
    variable,
    value,
    is_interpolated
from "demo"."intermediate"."int_panel_derived_variables"
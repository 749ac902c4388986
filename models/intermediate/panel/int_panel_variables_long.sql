-- Every variable of the unit-year panel in long form: raw indicators (interpolated), index and
-- dimension scores of every method, and the derived variables studies use.
with panel_values as (
    select
        values_.unit_code,
        values_.year,
        values_.indicator_code as variable,
        values_.value,
        values_.value_status = 'interpolated' as is_interpolated
    from {{ ref('int_indicator_values_interpolated') }} as values_
    inner join {{ ref('stg_reference__units') }} as units
        on values_.unit_code = units.unit_code
    -- every unit of the value grid: the index sample, and units outside it with standalone values
    where
        units.unit_type <> 'nation'
        and values_.year between {{ var('panel_start_year') }} and {{ var('panel_end_year') }}
),

scores as (
    select
        unit_code,
        cast(year as integer) as year,
        -- entropy total: <index>; dimension: <index>_<dimension>; alternatives: <index>_<method>
        index_code
        || case when dimension_code = '_all' then '' else '_' || dimension_code end
        || case when method = 'entropy' then '' else '_' || method end as variable,
        cast(score as {{ cipanel.double_type() }}) as value,
        false as is_interpolated
    -- the intermediate stack of every method (the mart fct_index_scores selects from it too)
    from {{ ref('int_index_scores') }}
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
from {{ ref('int_panel_derived_variables') }}

-- Direction-aware min-max normalisation of every index component over its index's window
-- (METHODS 1.1-1.2). The normalisation group is the whole pooled window, or one year when the
-- index uses per-year weighting. A constant indicator (max = min) gets z = 0 and is flagged.
with components as (
    select
        indicator_code,
        index_code,
        dimension_code,
        direction
    from {{ ref('stg_catalog__indicators') }}
    where is_index_component
),

indices as (
    select * from {{ ref('stg_catalog__indices') }}
),

sample_units as (
    select unit_code from {{ ref('stg_reference__units') }}
    where in_sample
),

values_in_window as (
    select
        components.index_code,
        components.dimension_code,
        components.indicator_code,
        components.direction,
        indices.weighting,
        indices.shift,
        values_.unit_code,
        values_.year,
        values_.value,
        values_.value_status,
        case
            when indices.weighting = 'per_year' then values_.year
            else -1
        end as weight_group
    from components
    inner join indices on components.index_code = indices.index_code
    inner join {{ ref('int_indicator_values_interpolated') }} as values_
        on
            components.indicator_code = values_.indicator_code
            and values_.year between indices.window_start and indices.window_end
    inner join sample_units on values_.unit_code = sample_units.unit_code
),

-- min and max per normalisation group as an aggregate joined back (one hash aggregate over the
-- rows and a join to a handful of groups), not a window partitioned over all rows
ranges as (
    select
        index_code,
        indicator_code,
        weight_group,
        min(value) as group_min,
        max(value) as group_max
    from values_in_window
    group by index_code, indicator_code, weight_group
),

ranged as (
    select
        values_in_window.*,
        ranges.group_min,
        ranges.group_max
    from values_in_window
    inner join ranges
        on
            values_in_window.index_code = ranges.index_code
            and values_in_window.indicator_code = ranges.indicator_code
            and values_in_window.weight_group = ranges.weight_group
),

normalised as (
    select
        *,
        group_max = group_min as is_constant,
        case
            when group_max = group_min then 0.0
            when direction = '+' then (value - group_min) / (group_max - group_min)
            when direction = '-' then (group_max - value) / (group_max - group_min)
        end as z
    from ranged
)

select
    index_code,
    dimension_code,
    indicator_code,
    direction,
    weighting,
    weight_group,
    unit_code,
    year,
    value,
    value_status,
    group_min,
    group_max,
    is_constant,
    z,
    z + shift as z_shifted
from normalised

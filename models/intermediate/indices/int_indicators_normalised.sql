-- Direction-aware min-max normalisation of every index component over its index's window
-- (docs/methods.md §1.1-1.2). The normalisation group is the whole pooled window, or one year when the
-- index uses per-year weighting. A constant indicator (max = min) gets z = 0 and is flagged.
-- A view, not a table: its consumers (entropy, scores, CRITIC, TOPSIS, PCA) each aggregate it
-- straight away, and writing one row per value with 15 columns cost more than all of them
-- together at county scale (benchmarks/bench_indices.py).
{{ config(materialized='view') }}

with components as (
    select * from {{ ref('int_index_components') }}
),

sample_units as (
    select unit_id from {{ ref('int_unit_keys') }}
    where in_sample
),

-- min and max per normalisation group, aggregated straight from the values table and joined back
-- to the rows below: not a window over all rows, and not from a CTE of the rows shared with
-- `ranged` (DuckDB materialises a CTE read twice: 0.35 s at county scale). Joined on the integer
-- keys (int_index_components, int_unit_keys); the codes come along from the values table.
ranges as (
    select
        components.index_id,
        components.indicator_id,
        {{ cipanel.weight_group('components.weighting', 'values_.year') }} as weight_group,
        min(values_.value) as group_min,
        max(values_.value) as group_max
    from components
    inner join {{ ref('int_indicator_values_interpolated') }} as values_
        on
            components.indicator_id = values_.indicator_id
            and values_.year between components.window_start and components.window_end
    inner join sample_units on values_.unit_id = sample_units.unit_id
    group by 1, 2, 3
),

ranged as (
    select
        components.index_code,
        components.dimension_code,
        components.indicator_code,
        components.index_id,
        components.dimension_id,
        components.indicator_id,
        components.direction,
        components.weighting,
        components.shift,
        ranges.weight_group,
        values_.unit_code,
        values_.unit_id,
        values_.year,
        values_.value,
        values_.value_status,
        ranges.group_min,
        ranges.group_max
    from components
    inner join {{ ref('int_indicator_values_interpolated') }} as values_
        on
            components.indicator_id = values_.indicator_id
            and values_.year between components.window_start and components.window_end
    inner join sample_units on values_.unit_id = sample_units.unit_id
    inner join ranges
        on
            components.index_id = ranges.index_id
            and components.indicator_id = ranges.indicator_id
            and ranges.weight_group = {{ cipanel.weight_group('components.weighting', 'values_.year') }}
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
    index_id,
    dimension_id,
    indicator_id,
    unit_id,
    value,
    value_status,
    group_min,
    group_max,
    is_constant,
    z,
    z + shift as z_shifted
from normalised

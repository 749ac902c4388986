-- Obstacle degree of each dimension: the sum of its components' obstacle degrees
-- (fct_obstacle_indicators), per index, unit and year; rank 1 is the largest.
with dimensions as (
    select
        index_code,
        dimension_code,
        unit_code,
        year,
        {{ cipanel.stable_sum('obstacle') }} as obstacle
    from {{ ref('fct_obstacle_indicators') }}
    group by index_code, dimension_code, unit_code, year
)

select
    index_code,
    dimension_code,
    unit_code,
    year,
    obstacle,
    cast(row_number() over (
        partition by index_code, unit_code, year order by obstacle desc, dimension_code asc
    ) as integer) as obstacle_rank
from dimensions

-- Entropy-TOPSIS closeness, a robustness alternative: v = w_entropy * z (z is already
-- direction-aligned min-max), distances to the best and worst value of each indicator in the
-- weight group, closeness C = D- / (D+ + D-). Dimension scores use the dimension's indicators.
with weighted as (
    select
        normalised.index_code,
        normalised.dimension_code,
        normalised.indicator_code,
        normalised.weight_group,
        normalised.unit_code,
        normalised.year,
        weights.weight * normalised.z as v
    from {{ ref('int_indicators_normalised') }} as normalised
    inner join {{ ref('int_index_weights_entropy') }} as weights
        on
            normalised.index_code = weights.index_code
            and normalised.weight_group = weights.weight_group
            and normalised.indicator_code = weights.indicator_code
),

gaps as (
    select
        *,
        power(max(v) over (partition by index_code, indicator_code, weight_group) - v, 2) as gap_best,
        power(v - min(v) over (partition by index_code, indicator_code, weight_group), 2) as gap_worst
    from weighted
),

by_dimension as (
    select
        index_code,
        dimension_code,
        unit_code,
        year,
        sqrt({{ cipanel.stable_sum('gap_best') }}) as d_best,
        sqrt({{ cipanel.stable_sum('gap_worst') }}) as d_worst
    from gaps
    group by index_code, dimension_code, unit_code, year
),

by_index as (
    select
        index_code,
        '_all' as dimension_code,
        unit_code,
        year,
        sqrt({{ cipanel.stable_sum('gap_best') }}) as d_best,
        sqrt({{ cipanel.stable_sum('gap_worst') }}) as d_worst
    from gaps
    group by index_code, unit_code, year
),

distances as (
    select * from by_dimension
    union all
    select * from by_index
)

select
    index_code,
    'topsis' as method,
    dimension_code,
    unit_code,
    year,
    -- a dimension whose indicators are all constant (weight 0) has no best or worst: score 0,
    -- as its weighted-sum score would be
    coalesce(d_worst / nullif(d_best + d_worst, 0), 0.0) as score
from distances

-- Entropy-TOPSIS closeness, a robustness alternative: v = w_entropy * z (z is already
-- direction-aligned min-max), distances to the best and worst value of each indicator in the
-- weight group, closeness C = D- / (D+ + D-). Dimension scores use the dimension's indicators.
-- The best and worst v are w * max z and w * min z of the group (w >= 0, so the same numbers as
-- max and min of v), from the entropy pass: one pass over the rows, grouped on the integer keys,
-- no window over all rows. The index's squared distances are the sums of its dimensions'.
-- Keyed like int_index_scores_weighted (dimension_id 0 = the index); int_index_scores maps back.
with weighted as (
    select
        normalised.index_id,
        normalised.dimension_id,
        normalised.unit_id,
        normalised.year,
        power(weights.weight * weights.max_z - weights.weight * normalised.z, 2) as gap_best,
        power(weights.weight * normalised.z - weights.weight * weights.min_z, 2) as gap_worst
    from {{ ref('int_indicators_normalised') }} as normalised
    inner join {{ ref('int_index_weights_entropy') }} as weights
        on
            normalised.index_id = weights.index_id
            and normalised.weight_group = weights.weight_group
            and normalised.indicator_id = weights.indicator_id
),

by_dimension as (
    select
        index_id,
        dimension_id,
        unit_id,
        year,
        {{ cipanel.stable_sum('gap_best') }} as ss_best,
        {{ cipanel.stable_sum('gap_worst') }} as ss_worst
    from weighted
    group by index_id, dimension_id, unit_id, year
),

by_index as (
    select
        index_id,
        0 as dimension_id,
        unit_id,
        year,
        {{ cipanel.stable_sum('ss_best') }} as ss_best,
        {{ cipanel.stable_sum('ss_worst') }} as ss_worst
    from by_dimension
    group by index_id, unit_id, year
),

distances as (
    select
        index_id,
        dimension_id,
        unit_id,
        year,
        sqrt(ss_best) as d_best,
        sqrt(ss_worst) as d_worst
    from (
        select * from by_dimension
        union all
        select * from by_index
    ) as squared
)

select
    index_id,
    'topsis' as method,
    dimension_id,
    unit_id,
    year,
    -- a dimension whose indicators are all constant (weight 0) has no best or worst: score 0,
    -- as its weighted-sum score would be
    coalesce(d_worst / nullif(d_best + d_worst, 0), 0.0) as score
from distances

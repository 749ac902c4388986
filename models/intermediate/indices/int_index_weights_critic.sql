-- CRITIC weights (Diakoulaki et al. 1995), a robustness alternative: contrast (sample standard
-- deviation of z) times conflict (sum over the other indicators of 1 - correlation). A constant
-- indicator has no contrast, so weight 0; its undefined correlations count as 0. When no
-- indicator carries information (all constant or perfectly correlated) CRITIC is undefined and
-- falls back to equal weights (flagged by the warn_degenerate_critic test).
with normalised as (
    select
        index_id,
        dimension_id,
        indicator_id,
        weight_group,
        unit_id,
        year,
        z
    from {{ ref('int_indicators_normalised') }}
),

-- per indicator: n, sum z and sum z^2 with compensated sums (cipanel.stable_sum, not stddev_samp
-- or corr(), whose parallel merge order moves the last bits from build to build); z is min-max
-- normalised to [0, 1], so the sums formula loses no more than a digit to cancellation
sums as (
    select
        index_id,
        dimension_id,
        indicator_id,
        weight_group,
        count(*) as n,
        -- a constant indicator has no contrast and no correlation: exact test
        max(z) > min(z) as varies,
        {{ cipanel.stable_sum('z') }} as s_z,
        {{ cipanel.stable_sum('z * z') }} as s_zz
    from normalised
    group by index_id, dimension_id, indicator_id, weight_group
),

contrast as (
    select
        *,
        -- the sample standard deviation; exactly 0 for a constant indicator (and so for a single
        -- row, where stddev_samp gives null)
        case
            when varies then sqrt(greatest(n * s_zz - s_z * s_z, 0) / (n * (n - 1)))
            else 0.0
        end as contrast,
        -- sqrt of the sum of squared deviations: u = (z - mean) / norm has sum u_j u_k = r_jk
        sqrt(greatest(n * s_zz - s_z * s_z, 0) / n) as norm,
        count(*) over (partition by index_id, weight_group) as n_indicators
    from sums
),

-- conflict_j = sum over k <> j of (1 - r_jk) = (m - 1) - sum_rows u_j * (U - u_j), with U the sum
-- of u over the indicators of the row's unit-year: one pass over the rows and a group-by, instead
-- of the m(m-1)/2 pair self-join (25 M joined rows at county scale). A constant indicator has
-- u = 0, so its correlations count as 0 (it still counts in m - 1).
standardised as (
    select
        normalised.index_id,
        normalised.indicator_id,
        normalised.weight_group,
        normalised.unit_id,
        normalised.year,
        case
            when contrast.varies and contrast.norm > 0
                then (normalised.z - contrast.s_z / contrast.n) / contrast.norm
            else 0.0
        end as u
    from normalised
    inner join contrast
        on
            normalised.index_id = contrast.index_id
            and normalised.indicator_id = contrast.indicator_id
            and normalised.weight_group = contrast.weight_group
),

row_sums as (
    select
        index_id,
        weight_group,
        unit_id,
        year,
        {{ cipanel.stable_sum('u') }} as u_total
    from standardised
    group by index_id, weight_group, unit_id, year
),

conflict as (
    select
        standardised.index_id,
        standardised.weight_group,
        standardised.indicator_id,
        {{ cipanel.stable_sum('standardised.u * (row_sums.u_total - standardised.u)') }} as r_products,
        -- sum u_j^2 is 1 up to rounding; dividing by it makes an exact copy of another indicator
        -- correlate exactly 1 with it (conflict 0), as the pairwise formula did
        {{ cipanel.stable_sum('standardised.u * standardised.u') }} as u_squares
    from standardised
    inner join row_sums
        on
            standardised.index_id = row_sums.index_id
            and standardised.weight_group = row_sums.weight_group
            and standardised.unit_id = row_sums.unit_id
            and standardised.year = row_sums.year
    group by standardised.index_id, standardised.weight_group, standardised.indicator_id
),

information as (
    select
        components.index_code,
        components.dimension_code,
        components.indicator_code,
        contrast.weight_group,
        contrast.index_id,
        contrast.indicator_id,
        -- conflict clamped at 0 against rounding (each |r_jk| <= 1, so it cannot be negative)
        contrast.contrast * greatest(
            (contrast.n_indicators - 1) - coalesce(conflict.r_products / nullif(conflict.u_squares, 0), 0.0), 0.0
        ) as information
    from contrast
    inner join {{ ref('int_index_components') }} as components
        on contrast.index_id = components.index_id and contrast.indicator_id = components.indicator_id
    left join conflict
        on
            contrast.index_id = conflict.index_id
            and contrast.weight_group = conflict.weight_group
            and contrast.indicator_id = conflict.indicator_id
)

select
    index_code,
    dimension_code,
    indicator_code,
    weight_group,
    information,
    coalesce(
        information / nullif(
            {{ cipanel.ordered_partition_sum('information', 'index_code, weight_group', 'indicator_code') }}, 0
        ),
        1.0 / count(*) over (partition by index_code, weight_group)
    ) as weight
from information

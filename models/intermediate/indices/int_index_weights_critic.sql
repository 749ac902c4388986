-- CRITIC weights (Diakoulaki et al. 1995), a robustness alternative: contrast (sample standard
-- deviation of z) times conflict (sum over the other indicators of 1 - correlation). A constant
-- indicator has no contrast, so weight 0; its undefined correlations count as 0. When no
-- indicator carries information (all constant or perfectly correlated) CRITIC is undefined and
-- falls back to equal weights (flagged by the warn_degenerate_critic test).
with normalised as (
    select
        index_code,
        dimension_code,
        indicator_code,
        weight_group,
        unit_code,
        year,
        z
    from {{ ref('int_indicators_normalised') }}
),

-- each unordered pair once (j < k: correlation is symmetric, and this self-join is the model's
-- whole cost), then counted for both indicators in conflict. The Pearson correlation is written
-- with compensated sums (cipanel.stable_sum) rather than corr(), whose parallel merge order moves
-- the last bits from build to build; z is min-max normalised to [0, 1], so the sums formula loses
-- no more than a digit to cancellation.
pair_sums as (
    select
        a.index_code,
        a.weight_group,
        a.indicator_code,
        b.indicator_code as other_indicator_code,
        count(*) as n,
        -- a constant column has no correlation (NaN on DuckDB, null elsewhere): exact test here
        max(a.z) > min(a.z) and max(b.z) > min(b.z) as both_vary,
        {{ cipanel.stable_sum('a.z') }} as s_a,
        {{ cipanel.stable_sum('b.z') }} as s_b,
        {{ cipanel.stable_sum('a.z * a.z') }} as s_aa,
        {{ cipanel.stable_sum('b.z * b.z') }} as s_bb,
        {{ cipanel.stable_sum('a.z * b.z') }} as s_ab
    from normalised as a
    inner join normalised as b
        on
            a.index_code = b.index_code
            and a.weight_group = b.weight_group
            and a.unit_code = b.unit_code
            and a.year = b.year
            and a.indicator_code < b.indicator_code
    group by a.index_code, a.weight_group, a.indicator_code, b.indicator_code
),

pairs as (
    select
        index_code,
        weight_group,
        indicator_code,
        other_indicator_code,
        -- clamped to [-1, 1] against rounding; a pair with no spread left correlates 0
        case
            when both_vary then coalesce(least(1.0, greatest(-1.0, covariance / nullif(spread, 0))), 0.0)
            else 0.0
        end as r_jk
    from (
        select
            *,
            n * s_ab - s_a * s_b as covariance,
            sqrt(greatest(n * s_aa - s_a * s_a, 0) * greatest(n * s_bb - s_b * s_b, 0)) as spread
        from pair_sums
    ) as spreads
),

both_orientations as (
    select
        index_code,
        weight_group,
        indicator_code,
        r_jk
    from pairs
    union all
    select
        index_code,
        weight_group,
        other_indicator_code as indicator_code,
        r_jk
    from pairs
),

conflict as (
    select
        index_code,
        weight_group,
        indicator_code,
        {{ cipanel.stable_sum('1.0 - r_jk') }} as conflict_sum
    from both_orientations
    group by index_code, weight_group, indicator_code
),

contrast as (
    select
        index_code,
        dimension_code,
        indicator_code,
        weight_group,
        -- the sample standard deviation from compensated sums (as in pair_sums); exactly 0 for a
        -- constant indicator (and so for a single row, where stddev_samp gives null)
        case
            when varies then sqrt(greatest(n * s_zz - s_z * s_z, 0) / (n * (n - 1)))
            else 0.0
        end as contrast
    from (
        select
            index_code,
            dimension_code,
            indicator_code,
            weight_group,
            count(*) as n,
            max(z) > min(z) as varies,
            {{ cipanel.stable_sum('z') }} as s_z,
            {{ cipanel.stable_sum('z * z') }} as s_zz
        from normalised
        group by index_code, dimension_code, indicator_code, weight_group
    ) as sums
),

information as (
    select
        contrast.index_code,
        contrast.dimension_code,
        contrast.indicator_code,
        contrast.weight_group,
        contrast.contrast * coalesce(conflict.conflict_sum, 0.0) as information
    from contrast
    left join conflict
        on
            contrast.index_code = conflict.index_code
            and contrast.weight_group = conflict.weight_group
            and contrast.indicator_code = conflict.indicator_code
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

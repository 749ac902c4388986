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
-- whole cost), then counted for both indicators in conflict
pairs as (
    select
        a.index_code,
        a.weight_group,
        a.indicator_code,
        b.indicator_code as other_indicator_code,
        -- corr() of a constant column is NaN on DuckDB, null elsewhere: define it as 0 here
        case
            when stddev_samp(a.z) > 0 and stddev_samp(b.z) > 0 then corr(a.z, b.z)
            else 0.0
        end as r_jk
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
        sum(1.0 - r_jk) as conflict_sum
    from both_orientations
    group by index_code, weight_group, indicator_code
),

contrast as (
    select
        index_code,
        dimension_code,
        indicator_code,
        weight_group,
        coalesce(stddev_samp(z), 0.0) as contrast
    from normalised
    group by index_code, dimension_code, indicator_code, weight_group
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
        information / nullif(sum(information) over (partition by index_code, weight_group), 0),
        1.0 / count(*) over (partition by index_code, weight_group)
    ) as weight
from information

-- Weighted-sum scores (METHODS 1.6) for every weighting method: S = scale * sum_j w_j * basis_j,
-- basis z, z' (default) or p as the index catalog says. A dimension score is the same sum over the
-- dimension's indicators, not renormalised, so the index total equals the sum of its dimensions.
with normalised as (
    select
        *,
        z_shifted / sum(z_shifted) over (partition by index_code, indicator_code, weight_group) as p
    from {{ ref('int_indicators_normalised') }}
),

indices as (
    select * from {{ ref('stg_catalog__indices') }}
),

weighted as (
    select
        normalised.index_code,
        weights.method,
        normalised.dimension_code,
        normalised.unit_code,
        normalised.year,
        indices.scale * weights.weight * case indices.score_basis
            when 'z' then normalised.z
            when 'p' then normalised.p
            else normalised.z_shifted
        end as contribution
    from normalised
    inner join {{ ref('int_index_weights') }} as weights
        on
            normalised.index_code = weights.index_code
            and normalised.weight_group = weights.weight_group
            and normalised.indicator_code = weights.indicator_code
    inner join indices on normalised.index_code = indices.index_code
),

dimensions as (
    select
        index_code,
        method,
        dimension_code,
        unit_code,
        year,
        sum(contribution) as score
    from weighted
    group by index_code, method, dimension_code, unit_code, year
)

select
    index_code,
    method,
    dimension_code,
    unit_code,
    year,
    score
from dimensions

union all

select
    index_code,
    method,
    '_all' as dimension_code,
    unit_code,
    year,
    sum(score) as score
from dimensions
group by index_code, method, unit_code, year

-- Obstacle degree of every index component, per unit and year (docs/methods_analytics.md):
-- factor contribution F = the indicator's entropy weight, deviation I = 1 - z (z the
-- direction-aware min-max value the index is built from), obstacle O = F I / sum over the
-- index's components of F I. O sums to 1 over the components of a unit-year; it is null when the
-- unit-year is at the best value of every component (nothing holds it back). Rank 1 is the
-- largest obstacle of the unit-year.
with normalised as (
    select * from {{ ref('int_indicators_normalised') }}
),

weights as (
    select
        index_code,
        weight_group,
        indicator_code,
        weight
    from {{ ref('int_index_weights') }}
    where method = 'entropy'
),

deviations as (
    select
        normalised.index_code,
        normalised.dimension_code,
        normalised.indicator_code,
        normalised.unit_code,
        normalised.year,
        weights.weight as factor_contribution,
        1 - normalised.z as deviation,
        weights.weight * (1 - normalised.z) as weighted_deviation
    from normalised
    inner join weights
        on
            normalised.index_code = weights.index_code
            and normalised.weight_group = weights.weight_group
            and normalised.indicator_code = weights.indicator_code
),

shares as (
    select
        *,
        weighted_deviation
        / nullif(
            {{ cipanel.stable_sum('weighted_deviation') }} over (partition by index_code, unit_code, year), 0
        ) as obstacle
    from deviations
)

select
    cast(index_code as {{ cipanel.text_type() }}) as index_code,
    cast(dimension_code as {{ cipanel.text_type() }}) as dimension_code,
    cast(indicator_code as {{ cipanel.text_type() }}) as indicator_code,
    cast(unit_code as {{ cipanel.text_type() }}) as unit_code,
    cast(year as integer) as year,
    cast(factor_contribution as {{ cipanel.double_type() }}) as factor_contribution,
    cast(deviation as {{ cipanel.double_type() }}) as deviation,
    cast(obstacle as {{ cipanel.double_type() }}) as obstacle,
    cast(row_number() over (
        partition by index_code, unit_code, year order by obstacle desc, indicator_code asc
    ) as integer) as obstacle_rank
from shares

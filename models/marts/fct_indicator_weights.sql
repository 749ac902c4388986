-- Indicator weights with the sample window they were estimated on (docs/methods.md §1.8).
-- weight_year is null for pooled weights and the year for per-year weights.
with weights as (
    select * from {{ ref('int_index_weights') }}
),

-- the sample each weight was estimated on, counted in the entropy pass (the same rows for every
-- method), and the indicator's direction from the catalog
windows as (
    select
        entropy.index_code,
        entropy.weight_group,
        entropy.indicator_code,
        indicators.direction,
        entropy.first_year as window_start,
        entropy.last_year as window_end,
        entropy.n_units,
        entropy.n_rows
    from {{ ref('int_index_weights_entropy') }} as entropy
    inner join {{ ref('stg_catalog__indicators') }} as indicators
        on
            entropy.index_code = indicators.index_code
            and entropy.indicator_code = indicators.indicator_code
)

select
    cast(weights.index_code as {{ cipanel.text_type() }}) as index_code,
    cast(weights.method as {{ cipanel.text_type() }}) as method,
    cast({{ cipanel.weight_group_year('weights.weight_group') }} as integer) as weight_year,
    cast(weights.dimension_code as {{ cipanel.text_type() }}) as dimension_code,
    cast(weights.indicator_code as {{ cipanel.text_type() }}) as indicator_code,
    cast(windows.direction as {{ cipanel.text_type() }}) as direction,
    cast(weights.entropy as {{ cipanel.double_type() }}) as entropy,
    cast(weights.weight as {{ cipanel.double_type() }}) as weight,
    cast(weights.is_constant as boolean) as is_constant,
    cast(windows.window_start as integer) as window_start,
    cast(windows.window_end as integer) as window_end,
    cast(windows.n_units as integer) as n_units,
    cast(windows.n_rows as integer) as n_rows
from weights
inner join windows
    on
        weights.index_code = windows.index_code
        and weights.weight_group = windows.weight_group
        and weights.indicator_code = windows.indicator_code

-- Indicator weights with the sample window they were estimated on (METHODS 1.8).
-- weight_year is null for pooled weights and the year for per-year weights.
with weights as (
    select * from "demo"."intermediate"."int_index_weights"
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
    from "demo"."intermediate"."int_index_weights_entropy" as entropy
    inner join "demo"."staging"."stg_catalog__indicators" as indicators
        on
            entropy.index_code = indicators.index_code
            and entropy.indicator_code = indicators.indicator_code
)

select
    cast(weights.index_code as varchar) as index_code,
    cast(weights.method as varchar) as method,
    cast(case when weights.weight_group >= 0 then weights.weight_group end as integer) as weight_year,
    cast(weights.dimension_code as varchar) as dimension_code,
    cast(weights.indicator_code as varchar) as indicator_code,
    cast(windows.direction as varchar) as direction,
    cast(weights.entropy as double) as entropy,
    cast(weights.weight as double) as weight,
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
-- The indicator weight table papers print: index, dimension, indicator, direction, weight, with
-- the dimension weight (sum of its indicators' weights) beside it.
select
    weights.index_code,
    weights.dimension_code,
    indicators.label_zh,
    weights.indicator_code,
    weights.direction,
    weights.entropy,
    weights.weight,
    weights.window_start,
    weights.window_end,
    sum(weights.weight) over (partition by weights.index_code, weights.dimension_code) as dimension_weight
from {{ ref('fct_indicator_weights') }} as weights
inner join {{ ref('dim_indicators') }} as indicators
    on weights.indicator_code = indicators.indicator_code and weights.index_code = indicators.index_code
where weights.method = 'entropy' and weights.weight_year is null
order by weights.index_code asc, weights.dimension_code asc, weights.weight desc

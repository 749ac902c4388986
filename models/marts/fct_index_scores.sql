-- Index and dimension scores, long: one row per (index, method, dimension, unit, year).
-- dimension_code '_all' is the index itself; method 'entropy' is the default index.
-- The methods are stacked in int_index_scores; this mart gives them their published types.
select
    cast(index_code as {{ cipanel.text_type() }}) as index_code,
    cast(method as {{ cipanel.text_type() }}) as method,
    cast(dimension_code as {{ cipanel.text_type() }}) as dimension_code,
    cast(unit_code as {{ cipanel.text_type() }}) as unit_code,
    cast(year as integer) as year,
    cast(score as {{ cipanel.double_type() }}) as score
from {{ ref('int_index_scores') }}

-- The indicator catalog as a mart: one row per (indicator, index membership).
select
    cast(indicator_code as {{ cipanel.text_type() }}) as indicator_code,
    cast(coalesce(index_code, '') as {{ cipanel.text_type() }}) as index_code,
    cast(dimension_code as {{ cipanel.text_type() }}) as dimension_code,
    cast(direction as {{ cipanel.text_type() }}) as direction,
    cast(unit_of_measure as {{ cipanel.text_type() }}) as unit_of_measure,
    cast(label_zh as {{ cipanel.text_type() }}) as label_zh,
    cast(label_en as {{ cipanel.text_type() }}) as label_en,
    cast(source as {{ cipanel.text_type() }}) as source,
    cast(rationale as {{ cipanel.text_type() }}) as rationale,
    cast(scope as {{ cipanel.text_type() }}) as scope
from {{ ref('stg_catalog__indicators') }}

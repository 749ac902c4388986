-- Region schemes as data: one row per (scheme, unit).
select
    cast(scheme as {{ cipanel.text_type() }}) as scheme,
    cast(unit_code as {{ cipanel.text_type() }}) as unit_code,
    cast(region_code as {{ cipanel.text_type() }}) as region_code,
    cast(region_zh as {{ cipanel.text_type() }}) as region_zh,
    cast(region_en as {{ cipanel.text_type() }}) as region_en
from {{ ref('stg_reference__unit_regions') }}

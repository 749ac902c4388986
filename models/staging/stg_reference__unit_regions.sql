select
    scheme,
    cast(unit_code as {{ cipanel.text_type() }}) as unit_code,
    region_code,
    region_zh,
    region_en
from {{ ref('ref_unit_regions') }}

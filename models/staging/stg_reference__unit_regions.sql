{{ config(pre_hook="{{ cipanel.register_landed_rows('ref_unit_regions') }}") }}
select
    scheme,
    cast(unit_code as {{ cipanel.text_type() }}) as unit_code,
    region_code,
    region_zh,
    region_en
from {{ source('raw', 'ref_unit_regions') }}

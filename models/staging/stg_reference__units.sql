{{ config(pre_hook="{{ cipanel.register_landed_rows('ref_units') }}") }}
select
    cast(unit_code as {{ cipanel.text_type() }}) as unit_code,
    name_zh,
    short_name_zh,
    name_en,
    unit_type,
    cast(is_municipality as boolean) as is_municipality,
    cast(in_sample as boolean) as in_sample
from {{ source('raw', 'ref_units') }}

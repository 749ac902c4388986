select
    cast(unit_code as {{ cipanel.text_type() }}) as unit_code,
    cast(name_zh as {{ cipanel.text_type() }}) as name_zh,
    cast(short_name_zh as {{ cipanel.text_type() }}) as short_name_zh,
    cast(name_en as {{ cipanel.text_type() }}) as name_en,
    cast(unit_type as {{ cipanel.text_type() }}) as unit_type,
    cast(is_municipality as boolean) as is_municipality,
    cast(in_sample as boolean) as in_sample
from {{ ref('stg_reference__units') }}

{{ config(pre_hook="{{ cipanel.register_landed_rows('dimension_catalog') }}") }}
select
    index_code,
    dimension_code,
    label_zh,
    label_en
from {{ source('raw', 'dimension_catalog') }}

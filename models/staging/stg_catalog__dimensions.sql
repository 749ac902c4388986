select
    index_code,
    dimension_code,
    label_zh,
    label_en
from {{ ref('dimension_catalog') }}

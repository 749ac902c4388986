
select
    index_code,
    dimension_code,
    label_zh,
    label_en
from "demo"."raw"."dimension_catalog"
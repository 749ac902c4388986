
select
    index_code,
    dimension_code,
    label_zh,
    label_en
from "new"."raw"."dimension_catalog"

select
    scheme,
    cast(unit_code as varchar) as unit_code,
    region_code,
    region_zh,
    region_en
from "new"."raw"."ref_unit_regions"
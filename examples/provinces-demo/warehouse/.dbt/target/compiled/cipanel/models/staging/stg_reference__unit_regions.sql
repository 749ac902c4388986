
select
    scheme,
    cast(unit_code as varchar) as unit_code,
    region_code,
    region_zh,
    region_en
from "demo"."raw"."ref_unit_regions"
select
    cast(unit_code as varchar) as unit_code,
    cast(name_zh as varchar) as name_zh,
    cast(short_name_zh as varchar) as short_name_zh,
    cast(name_en as varchar) as name_en,
    cast(unit_type as varchar) as unit_type,
    cast(is_municipality as boolean) as is_municipality,
    cast(in_sample as boolean) as in_sample
from "demo"."staging"."stg_reference__units"

  
  create view "w"."staging"."stg_reference__units__dbt_tmp" as (
    
select
    cast(unit_code as varchar) as unit_code,
    name_zh,
    short_name_zh,
    name_en,
    unit_type,
    cast(is_municipality as boolean) as is_municipality,
    cast(in_sample as boolean) as in_sample
from "w"."raw"."ref_units"
  );

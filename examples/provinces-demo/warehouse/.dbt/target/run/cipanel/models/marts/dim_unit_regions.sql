
    

    create  table
      "demo"."marts"."dim_unit_regions__dbt_tmp"
  
    
    as (
      -- Region schemes as data: one row per (scheme, unit).
select
    cast(scheme as varchar) as scheme,
    cast(unit_code as varchar) as unit_code,
    cast(region_code as varchar) as region_code,
    cast(region_zh as varchar) as region_zh,
    cast(region_en as varchar) as region_en
from "demo"."staging"."stg_reference__unit_regions"
    );
    
  
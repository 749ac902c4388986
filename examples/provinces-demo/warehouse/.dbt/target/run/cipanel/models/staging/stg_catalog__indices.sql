
  
  create view "demo"."staging"."stg_catalog__indices__dbt_tmp" as (
    
select
    index_code,
    label_zh,
    label_en,
    study,
    coalesce(nullif(trim(weighting), ''), 'pooled') as weighting,
    cast(coalesce(shift, 0.0001) as double) as shift,
    coalesce(nullif(trim(score_basis), ''), 'z_shifted') as score_basis,
    cast(coalesce(scale, 1) as double) as scale,
    cast(coalesce(window_start, 2014) as integer) as window_start,
    cast(coalesce(window_end, 2023) as integer) as window_end
from "demo"."raw"."index_catalog"
  );

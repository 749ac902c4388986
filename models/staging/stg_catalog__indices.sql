{{ config(pre_hook="{{ cipanel.register_landed_rows('index_catalog') }}") }}
select
    index_code,
    label_zh,
    label_en,
    study,
    coalesce(nullif(trim(weighting), ''), 'pooled') as weighting,
    cast(coalesce(shift, 0.0001) as {{ cipanel.double_type() }}) as shift,
    coalesce(nullif(trim(score_basis), ''), 'z_shifted') as score_basis,
    cast(coalesce(scale, 1) as {{ cipanel.double_type() }}) as scale,
    cast(coalesce(window_start, {{ var('panel_start_year') }}) as integer) as window_start,
    cast(coalesce(window_end, {{ var('panel_end_year') }}) as integer) as window_end
from {{ source('raw', 'index_catalog') }}

{{ config(severity='warn') }}
-- Per-year entropy normalises each year separately, which removes the time trend of the index:
-- warn, because these indices feed panel regressions with year effects (docs/methods.md §1.9).
select
    index_code,
    weighting
from {{ ref('stg_catalog__indices') }}
where weighting = 'per_year'

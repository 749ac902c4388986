
-- Per-year entropy normalises each year separately, which removes the time trend of the index:
-- warn, because these indices feed panel regressions with year effects (METHODS 1).
select
    index_code,
    weighting
from "demo"."staging"."stg_catalog__indices"
where weighting = 'per_year'
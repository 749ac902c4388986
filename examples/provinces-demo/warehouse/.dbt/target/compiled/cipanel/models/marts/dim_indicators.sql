-- The indicator catalog as a mart: one row per (indicator, index membership).
select
    cast(indicator_code as varchar) as indicator_code,
    cast(coalesce(index_code, '') as varchar) as index_code,
    cast(dimension_code as varchar) as dimension_code,
    cast(direction as varchar) as direction,
    cast(unit_of_measure as varchar) as unit_of_measure,
    cast(label_zh as varchar) as label_zh,
    cast(label_en as varchar) as label_en,
    cast(source as varchar) as source,
    cast(rationale as varchar) as rationale,
    cast(scope as varchar) as scope
from "demo"."staging"."stg_catalog__indicators"
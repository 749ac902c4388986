-- One row per (indicator, index) membership; index_code is empty for a standalone variable.
-- direction is validated here and checked by a data test, never guessed.
select
    indicator_code,
    unit_of_measure,
    label_zh,
    label_en,
    source,
    rationale,
    cast(first_year as integer) as first_year,
    cast(last_year as integer) as last_year,
    nullif(trim(index_code), '') as index_code,
    nullif(trim(dimension_code), '') as dimension_code,
    nullif(trim(direction), '') as direction,
    coalesce(nullif(trim(scope), ''), 'unit') as scope,
    nullif(trim(index_code), '') is not null as is_index_component,
    case
        when nullif(trim(index_code), '') is null then true
        else coalesce(trim(direction) in ('+', '-'), false)
    end as has_valid_direction
from {{ ref('indicator_catalog') }}

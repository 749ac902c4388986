{{ config(pre_hook="{{ cipanel.register_landed_rows('indicator_catalog') }}") }}
-- One row per (indicator, index) membership; index_code is empty for a standalone variable.
-- direction is validated here and checked by a data test, never guessed.
select
    indicator_code,
    unit_of_measure,
    rationale,
    cast(first_year as integer) as first_year,
    cast(last_year as integer) as last_year,
    -- labels and source are optional in a user's catalog: the code stands in for a missing label
    coalesce(label_zh, label_en, indicator_code) as label_zh,
    coalesce(label_en, label_zh, indicator_code) as label_en,
    coalesce(source, 'not given') as source,
    nullif(trim(index_code), '') as index_code,
    nullif(trim(dimension_code), '') as dimension_code,
    nullif(trim(direction), '') as direction,
    coalesce(nullif(trim(scope), ''), 'unit') as scope,
    nullif(trim(index_code), '') is not null as is_index_component,
    -- resolved by the landing from the catalog's interpolate column or cipanel.yml's policy
    coalesce(cast(interpolate as boolean), false) as interpolate,
    case
        when nullif(trim(index_code), '') is null then true
        else coalesce(trim(direction) in ('+', '-'), false)
    end as has_valid_direction
from {{ source('raw', 'indicator_catalog') }}

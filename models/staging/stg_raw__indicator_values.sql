-- Typing and parse flags for every landed row; nothing is dropped (rejections happen downstream,
-- where the unit and indicator catalogs are known).
with landed as (
    select
        source_file,
        source_sheet,
        source_row,
        source_column,
        landing_issue,
        trim(unit_raw) as unit_raw,
        trim(year_raw) as year_raw,
        trim(indicator_raw) as indicator_raw,
        trim(value_raw) as value_raw
    from {{ source('raw', 'indicator_values') }}
)

select
    source_file,
    source_sheet,
    source_row,
    source_column,
    landing_issue,
    unit_raw,
    year_raw,
    indicator_raw,
    value_raw,
    -- yearbook names carry ASCII and full-width spaces ("北  京"): match names without them; an
    -- integer code written as a decimal by Excel or pandas ("410032.0") matches its code
    case
        when {{ cipanel.regexp_matches("unit_raw", "'^[0-9]+[.]0+$'") }}
            then split_part(unit_raw, '.', 1)
        else {{ cipanel.remove_whitespace("unit_raw", extra="　") }}
    end as unit_key,
    {{ cipanel.regexp_matches("unit_raw", "'^[0-9]+[.]0+$'") }} as unit_code_normalised,
    case
        when {{ cipanel.regexp_matches("year_raw", "'^[0-9]{4}年?$'") }}
            then {{ cipanel.safe_cast("left(year_raw, 4)", "integer") }}
    end as year,
    {{ cipanel.is_missing_marker("value_raw") }} as is_missing_marker,
    case
        when not {{ cipanel.is_missing_marker("value_raw") }}
            then {{ cipanel.safe_cast("value_raw", "double") }}
    end as value
from landed

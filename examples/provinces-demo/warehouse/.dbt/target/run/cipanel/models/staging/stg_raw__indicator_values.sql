
  
  create view "demo"."staging"."stg_raw__indicator_values__dbt_tmp" as (
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
    from "demo"."raw"."indicator_values"
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
        when 
    regexp_matches(unit_raw, '^[0-9]+[.]0+$')

            then split_part(unit_raw, '.', 1)
        else 
    regexp_replace(unit_raw, '[[:space:]　]', '', 'g')

    end as unit_key,
    
    regexp_matches(unit_raw, '^[0-9]+[.]0+$')
 as unit_code_normalised,
    case
        when 
    regexp_matches(year_raw, '^[0-9]{4}年?$')

            then 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(left(year_raw, 4) as integer)

    end as year,
    
    -- the markers yearbooks use for "not available"; documented in the README
    (
        value_raw is null
        or value_raw in ('', 'NA', 'N/A', 'na', 'NaN', '..', '...', '…', '—', '-', '--')
    )
 as is_missing_marker,
    case
        when not 
    -- the markers yearbooks use for "not available"; documented in the README
    (
        value_raw is null
        or value_raw in ('', 'NA', 'N/A', 'na', 'NaN', '..', '...', '…', '—', '-', '--')
    )

            then 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(value_raw as double)

    end as value
from landed
  );

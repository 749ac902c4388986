-- Every landed row with the unit and indicator it resolves to and, if it cannot be used, the first
-- reason why. Accepted rows have rejection_reason null; the audit models keep the rest.
-- depends_on: {{ ref('int_unit_keys') }} (joined in macros/validation.sql)
with landed as (
    select * from {{ ref('stg_raw__indicator_values') }}
),

units as (
    select * from {{ ref('stg_reference__units') }}
),

-- a unit may be written as its code, full name, short name or English name (matched without
-- spaces and case)
unit_keys as (
    select
        lower(unit_code) as unit_key,
        unit_code
    from units
    union
    select
        lower(name_zh) as unit_key,
        unit_code
    from units
    union
    select
        lower(short_name_zh) as unit_key,
        unit_code
    from units
    union
    select
        lower({{ cipanel.remove_whitespace("name_en") }}) as unit_key,
        unit_code
    from units
),

unit_lookup as (
    select
        unit_key,
        min(unit_code) as unit_code,
        count(distinct unit_code) as n_matches
    from unit_keys
    group by unit_key
),

indicators as (
    select * from {{ ref('int_indicator_attributes') }}
),

indicator_keys as (
    select
        indicator_code as indicator_key,
        indicator_code
    from indicators
    union
    select
        label_zh as indicator_key,
        indicator_code
    from indicators
),

indicator_lookup as (
    select
        indicator_key,
        min(indicator_code) as indicator_code,
        count(distinct indicator_code) as n_matches
    from indicator_keys
    group by indicator_key
),

{#- the first reason a row cannot be used (the validation rules, written once: the duplicate count
    below applies them too) -#}
{%- set first_reason_expression %}
    case
        when landing_issue is not null then landing_issue
        when unit_matches is null then 'unknown unit ' || coalesce(unit_raw, '')
        when unit_matches > 1 then 'ambiguous unit name ' || unit_raw
        when indicator_matches is null then 'unknown indicator ' || coalesce(indicator_raw, '')
        when indicator_matches > 1 then 'ambiguous indicator label ' || indicator_raw
        when year is null then 'invalid year ' || coalesce(year_raw, '')
        when year < valid_from or year > valid_to
            then
                'year ' || cast(year as {{ cipanel.text_type() }}) || ' outside the window '
                || cast(valid_from as {{ cipanel.text_type() }}) || '-'
                || cast(valid_to as {{ cipanel.text_type() }}) || ' of ' || indicator_code
        when scope = 'national' and unit_type <> 'nation'
            then 'national indicator ' || indicator_code || ' given for a unit'
        when scope <> 'national' and unit_type = 'nation'
            then 'national total given for unit-level indicator ' || indicator_code
        -- outside the index sample only components are refused: a standalone variable of such a
        -- unit is accepted (counted apart in audit_row_accounting) for study sample rules
        when unit_type <> 'nation' and not in_sample and is_index_component
            then
                'unit ' || unit_code || ' is not in the sample of the indices: ' || indicator_code
                || ' is a component of index ' || first_index_code
        when not is_missing_marker and value is null then 'non-numeric value ' || value_raw
        when value is not null and not {{ cipanel.is_finite('value') }} then 'non-finite value ' || value_raw
        -- a count or an amount cannot be negative (macros/value_domains.sql lists the units)
        when value < 0 and unit_of_measure in ({{ cipanel.sql_text_list(cipanel.nonnegative_units()) }})
            then
                'negative value ' || value_raw || ' of ' || indicator_code || ': its unit '
                || unit_of_measure || ' cannot be negative'
    end
{%- endset %}

-- each landed row resolved to its unit, indicator and their attributes (macros/validation.sql);
-- twice from one text, the second time for the duplicate count only (see usable_copies)
resolved as (
    {{ cipanel.resolved_landed_rows('landed') }}
),

resolved_for_copies as (
    {{ cipanel.resolved_landed_rows(ref('stg_raw__indicator_values')) }}
),

first_reason as (
    select
        *,
        {{ first_reason_expression }} as row_reason
    from resolved
),

-- Duplicates: the keys two or more usable rows share (all copies are rejected, none is picked),
-- counted in one grouped pass over the integer keys of a second, narrow resolution of the landed
-- rows. Not a window over first_reason (at county scale the window sorted and spilled the 3.6 M
-- wide rows: 6 of the model's 9 CPU s) and not a group-by over first_reason itself (a CTE read
-- twice is materialised, wide rows and all). The result is small (usually empty) and joined back.
usable_copies as (
    select
        unit_id,
        indicator_id,
        year,
        count(*) as n_copies
    from resolved_for_copies
    where {{ first_reason_expression }} is null
    group by unit_id, indicator_id, year
    having count(*) > 1
),

with_copies as (
    select
        first_reason.*,
        usable_copies.n_copies
    from first_reason
    left join usable_copies
        on
            first_reason.unit_id = usable_copies.unit_id
            and first_reason.indicator_id = usable_copies.indicator_id
            and first_reason.year = usable_copies.year
)

select
    source_file,
    source_sheet,
    source_row,
    source_column,
    unit_raw,
    year_raw,
    indicator_raw,
    value_raw,
    unit_code,
    indicator_code,
    year,
    unit_id,
    indicator_id,
    value,
    is_missing_marker,
    coalesce(unit_type <> 'nation' and not in_sample, false) as is_outside_index_sample,
    coalesce(
        row_reason,
        case
            when n_copies > 1
                then 'duplicate unit-year-indicator (' || cast(n_copies as {{ cipanel.text_type() }}) || ' rows)'
        end
    ) as rejection_reason
from with_copies

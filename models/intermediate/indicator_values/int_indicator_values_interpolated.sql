-- The complete unit x year x indicator grid of the sample, with observed values and linear
-- interpolation between the nearest observed years of the same unit, for the indicators the
-- project's interpolation policy (or the catalog's interpolate column) allows: by default index
-- components only, so a standalone regression variable keeps its gaps ('not_interpolated') and no
-- unit joins a regression sample through a filled cell. Never extrapolated: cells before the
-- first or after the last observation stay null and are flagged. A unit outside the index sample
-- gets a grid only for the standalone variables the data hold a row of for it (validation refuses
-- its component values), so no unit or variable without data adds empty cells to the audit.
-- Joined and windowed on the integer keys (int_unit_keys, int_indicator_attributes), which the
-- index models read too.
with accepted as (
    select
        unit_id,
        indicator_id,
        year,
        value
    from {{ ref('int_indicator_values_validated') }}
    where rejection_reason is null
),

indicators as (
    select
        indicator_code,
        indicator_id,
        scope,
        interpolate,
        valid_from,
        valid_to
    from {{ ref('int_indicator_attributes') }}
),

units as (
    select
        unit_code,
        unit_id,
        case when unit_type = 'nation' then 'national' else 'unit' end as scope,
        in_sample or unit_type = 'nation' as in_index_sample
    from {{ ref('int_unit_keys') }}
),

-- the (unit, standalone variable) pairs of units outside the index sample that have accepted rows
outside_pairs as (
    select distinct
        accepted.unit_id,
        accepted.indicator_id
    from accepted
    inner join units on accepted.unit_id = units.unit_id
    where not units.in_index_sample
),

years as (
    {{ cipanel.year_spine() }}
),

grid as (
    select
        units.unit_code,
        units.unit_id,
        indicators.indicator_code,
        indicators.indicator_id,
        indicators.interpolate,
        years.year
    from indicators
    inner join years on years.year between indicators.valid_from and indicators.valid_to
    inner join units on indicators.scope = units.scope
    left join outside_pairs
        on
            units.unit_id = outside_pairs.unit_id
            and indicators.indicator_id = outside_pairs.indicator_id
    where units.in_index_sample or outside_pairs.unit_id is not null
),

observed as (
    select
        grid.unit_code,
        grid.unit_id,
        grid.indicator_code,
        grid.indicator_id,
        grid.year,
        grid.interpolate,
        accepted.value
    from grid
    left join accepted
        on
            grid.unit_id = accepted.unit_id
            and grid.indicator_id = accepted.indicator_id
            and grid.year = accepted.year
),

-- the nearest observed year and value on each side, carried along the unit's series by windows
-- (no self-joins back to the observed rows: at county scale that halved the time and the memory)
brackets as (
    select
        *,
        max(case when value is not null then year end) over before_row as prev_year,
        {{ cipanel.last_non_null('value') }} over before_row as prev_value,
        min(case when value is not null then year end) over after_row as next_year,
        {{ cipanel.first_non_null('value') }} over after_row as next_value
    from observed
    window
        before_row as (
            partition by unit_id, indicator_id order by year
            rows between unbounded preceding and current row
        ),
        after_row as (
            partition by unit_id, indicator_id order by year
            rows between current row and unbounded following
        )
)

select
    unit_code,
    indicator_code,
    year,
    unit_id,
    indicator_id,
    case
        when value is not null then value
        when interpolate and prev_value is not null and next_value is not null
            then
                prev_value
                + (next_value - prev_value)
                * (year - prev_year) / (next_year - prev_year)
    end as value,
    case
        when value is not null then 'observed'
        when prev_year is not null and next_year is not null and interpolate then 'interpolated'
        when prev_year is not null and next_year is not null then 'not_interpolated'
        when prev_year is null and next_year is null then 'no_observation'
        when prev_year is null then 'missing_leading'
        else 'missing_trailing'
    end as value_status,
    case when value is null then prev_year end as interpolated_from_year,
    case when value is null then next_year end as interpolated_to_year
from brackets

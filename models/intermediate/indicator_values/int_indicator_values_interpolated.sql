-- The complete unit x year x indicator grid of the sample, with observed values and linear
-- interpolation between the nearest observed years of the same unit, for the indicators the
-- project's interpolation policy (or the catalog's interpolate column) allows: by default index
-- components only, so a standalone regression variable keeps its gaps ('not_interpolated') and no
-- unit joins a regression sample through a filled cell. Never extrapolated: cells before the
-- first or after the last observation stay null and are flagged. Units outside the index sample
-- get a grid for the standalone variables only, and only when the data hold a value for them
-- (validation refuses their component values), so the demo's Tibet adds no empty rows.
with accepted as (
    select
        unit_code,
        indicator_code,
        year,
        value
    from {{ ref('int_indicator_values_validated') }}
    where rejection_reason is null
),

indicators as (
    select
        indicator_code,
        scope,
        interpolate,
        is_index_component,
        valid_from,
        valid_to
    from {{ ref('int_indicator_attributes') }}
),

units as (
    select
        unit_code,
        case when unit_type = 'nation' then 'national' else 'unit' end as scope,
        in_sample or unit_type = 'nation' as in_index_sample
    from {{ ref('stg_reference__units') }}
    where
        in_sample
        or unit_type = 'nation'
        or unit_code in (select accepted.unit_code from accepted)
),

years as (
    {{ cipanel.year_spine() }}
),

grid as (
    select
        units.unit_code,
        indicators.indicator_code,
        indicators.interpolate,
        years.year
    from indicators
    inner join years on years.year between indicators.valid_from and indicators.valid_to
    inner join units
        on
            indicators.scope = units.scope
            and (units.in_index_sample or not indicators.is_index_component)
),

observed as (
    select
        grid.unit_code,
        grid.indicator_code,
        grid.year,
        grid.interpolate,
        accepted.value
    from grid
    left join accepted
        on
            grid.unit_code = accepted.unit_code
            and grid.indicator_code = accepted.indicator_code
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
            partition by unit_code, indicator_code order by year
            rows between unbounded preceding and current row
        ),
        after_row as (
            partition by unit_code, indicator_code order by year
            rows between current row and unbounded following
        )
)

select
    unit_code,
    indicator_code,
    year,
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

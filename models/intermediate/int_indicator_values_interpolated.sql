-- The complete unit x year x indicator grid of the sample, with observed values and linear
-- interpolation between the nearest observed years of the same unit. Never extrapolated: cells
-- before the first or after the last observation stay null and are flagged.
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
        min(scope) as scope,
        coalesce(min(first_year), {{ var('panel_start_year') }}) as valid_from,
        coalesce(min(last_year), {{ var('panel_end_year') }}) as valid_to
    from {{ ref('stg_catalog__indicators') }}
    group by indicator_code
),

units as (
    select
        unit_code,
        case when unit_type = 'nation' then 'national' else 'unit' end as scope
    from {{ ref('stg_reference__units') }}
    where in_sample or unit_type = 'nation'
),

years as (
    {{ cipanel.year_spine() }}
),

grid as (
    select
        units.unit_code,
        indicators.indicator_code,
        years.year
    from indicators
    inner join years on years.year between indicators.valid_from and indicators.valid_to
    inner join units on indicators.scope = units.scope
),

observed as (
    select
        grid.unit_code,
        grid.indicator_code,
        grid.year,
        accepted.value
    from grid
    left join accepted
        on
            grid.unit_code = accepted.unit_code
            and grid.indicator_code = accepted.indicator_code
            and grid.year = accepted.year
),

brackets as (
    select
        *,
        max(case when value is not null then year end) over (
            partition by unit_code, indicator_code order by year
            rows between unbounded preceding and current row
        ) as prev_year,
        min(case when value is not null then year end) over (
            partition by unit_code, indicator_code order by year
            rows between current row and unbounded following
        ) as next_year
    from observed
)

select
    brackets.unit_code,
    brackets.indicator_code,
    brackets.year,
    case
        when brackets.value is not null then brackets.value
        when prev_obs.value is not null and next_obs.value is not null
            then
                prev_obs.value
                + (next_obs.value - prev_obs.value)
                * (brackets.year - brackets.prev_year) / (brackets.next_year - brackets.prev_year)
    end as value,
    case
        when brackets.value is not null then 'observed'
        when brackets.prev_year is not null and brackets.next_year is not null then 'interpolated'
        when brackets.prev_year is null and brackets.next_year is null then 'no_observation'
        when brackets.prev_year is null then 'missing_leading'
        else 'missing_trailing'
    end as value_status,
    case when brackets.value is null then brackets.prev_year end as interpolated_from_year,
    case when brackets.value is null then brackets.next_year end as interpolated_to_year
from brackets
left join observed as prev_obs
    on
        brackets.unit_code = prev_obs.unit_code
        and brackets.indicator_code = prev_obs.indicator_code
        and brackets.prev_year = prev_obs.year
        and brackets.value is null
left join observed as next_obs
    on
        brackets.unit_code = next_obs.unit_code
        and brackets.indicator_code = next_obs.indicator_code
        and brackets.next_year = next_obs.year
        and brackets.value is null

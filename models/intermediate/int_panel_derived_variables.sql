-- Variables computed from indicators. Each appears only when its inputs are in the catalog.
with values_ as (
    select
        unit_code,
        indicator_code,
        year,
        value
    from {{ ref('int_indicator_values_interpolated') }}
),

panel_years as (
    {{ cipanel.year_spine(var('panel_start_year'), var('panel_end_year')) }}
),

-- shift-share instrument (study A Table 3): 1984 posts-and-telecom volume of the province times
-- national internet users of the previous year
shift_share as (
    select
        base.unit_code,
        panel_years.year,
        'iv_shift_share' as variable,
        base.value * national_users.value as value
    from values_ as base
    cross join panel_years
    inner join values_ as national_users
        on
            national_users.indicator_code = 'internet_users_national'
            and national_users.year = panel_years.year - 1
    where base.indicator_code = 'posts_telecom_1984' and base.year = 1984
),

-- industrial-structure upgrading (study B): sum over sectors m of m x value-added share of m
structure_upgrading as (
    select
        unit_code,
        year,
        'isu' as variable,
        {{ cipanel.stable_sum(
            "case indicator_code when 'va_share_1' then 1 * value when 'va_share_2' then 2 * value "
            ~ "when 'va_share_3' then 3 * value end"
        ) }} as value
    from values_
    where indicator_code in ('va_share_1', 'va_share_2', 'va_share_3')
    group by unit_code, year
    having count(value) = 3
),

logs as (
    select
        unit_code,
        year,
        case indicator_code
            when 'fintech_firms' then 'ln_fintech'
            when 'gdp_pc' then 'ln_gdp_pc'
        end as variable,
        case indicator_code
            when 'fintech_firms' then {{ cipanel.ln('value + 1') }}
            when 'gdp_pc' then {{ cipanel.ln('value') }}
        end as value
    from values_
    where indicator_code in ('fintech_firms', 'gdp_pc') and value > 0
),

derived as (
    select
        unit_code,
        year,
        variable,
        value
    from shift_share
    union all
    select
        unit_code,
        year,
        variable,
        value
    from structure_upgrading
    union all
    select
        unit_code,
        year,
        variable,
        value
    from logs
)

select
    unit_code,
    year,
    variable,
    value,
    false as is_interpolated
from derived

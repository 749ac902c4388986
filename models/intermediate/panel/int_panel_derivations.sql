-- Every attempted derivation of a derived variable, with its domain rule and what was done:
-- computed, or left null because an input is missing or outside the rule's domain. Each variable
-- appears only when its inputs are in the catalog. The rules:
--   ln_gdp_pc       ln(x) of gdp_pc, defined for x > 0: zero or negative -> null, logged
--   ln_fintech      ln(1 + x) of fintech_firms (a count, the catalog's rule), defined for x >= 0:
--                   zero gives 0, negative -> null, logged
--   isu             1 x va_share_1 + 2 x va_share_2 + 3 x va_share_3: all three shares needed
--   iv_shift_share  posts_telecom_1984 of the unit x internet_users_national of year t - 1
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

national_users as (
    select
        year,
        value
    from values_
    where indicator_code = 'internet_users_national'
),

-- the shift-share instrument exists only when the national series is in the catalog at all
national_series as (
    select count(*) as n_years from national_users
),

-- shift-share instrument (study A Table 3): 1984 posts-and-telecom volume of the province times
-- national internet users of the previous year
shift_share as (
    select
        base.unit_code,
        panel_years.year,
        'iv_shift_share' as variable,
        'posts_telecom_1984' as input_indicator,
        base.value as input_value,
        'x(1984) * internet_users_national(t-1); both needed' as domain_rule,
        base.value * users_prev.value as value,
        case
            when base.value is null then 'input_missing: posts_telecom_1984'
            when users_prev.value is null then 'input_missing: internet_users_national of t-1'
            else 'computed'
        end as derivation_status
    from values_ as base
    cross join panel_years
    cross join national_series
    left join national_users as users_prev on panel_years.year - 1 = users_prev.year
    where
        base.indicator_code = 'posts_telecom_1984'
        and base.year = 1984
        and national_series.n_years > 0
),

-- industrial-structure upgrading (study B): sum over sectors m of m x value-added share of m
structure_upgrading as (
    select
        va_shares.unit_code,
        va_shares.year,
        'isu' as variable,
        'va_share_1, va_share_2, va_share_3' as input_indicator,
        cast(null as {{ cipanel.double_type() }}) as input_value,
        '1 * va_share_1 + 2 * va_share_2 + 3 * va_share_3; all three needed' as domain_rule,
        case
            when count(va_shares.value) = 3
                then
                    {{ cipanel.stable_sum(
                        "case va_shares.indicator_code when 'va_share_1' then 1 * va_shares.value "
                        ~ "when 'va_share_2' then 2 * va_shares.value when 'va_share_3' then 3 * va_shares.value end"
                    ) }}
        end as value,
        case
            when count(va_shares.value) = 3 then 'computed'
            else
                'input_missing: ' || cast(3 - count(va_shares.value) as {{ cipanel.text_type() }})
                || ' of 3 shares'
        end as derivation_status
    from values_ as va_shares
    where va_shares.indicator_code in ('va_share_1', 'va_share_2', 'va_share_3')
    group by va_shares.unit_code, va_shares.year
    having count(distinct va_shares.indicator_code) = 3
),

logs as (
    select
        inputs.unit_code,
        inputs.year,
        case inputs.indicator_code
            when 'fintech_firms' then 'ln_fintech'
            when 'gdp_pc' then 'ln_gdp_pc'
        end as variable,
        inputs.indicator_code as input_indicator,
        inputs.value as input_value,
        case inputs.indicator_code
            when 'fintech_firms' then 'ln(1 + x), x >= 0'
            when 'gdp_pc' then 'ln(x), x > 0'
        end as domain_rule,
        case
            when inputs.indicator_code = 'fintech_firms' and inputs.value >= 0
                then {{ cipanel.ln('inputs.value + 1') }}
            when inputs.indicator_code = 'gdp_pc' and inputs.value > 0
                then {{ cipanel.ln('inputs.value') }}
        end as value,
        case
            when inputs.value is null then 'input_missing: ' || inputs.indicator_code
            when inputs.indicator_code = 'fintech_firms' and inputs.value < 0 then 'outside_domain: negative'
            when inputs.indicator_code = 'gdp_pc' and inputs.value <= 0 then 'outside_domain: zero or negative'
            else 'computed'
        end as derivation_status
    from values_ as inputs
    where inputs.indicator_code in ('fintech_firms', 'gdp_pc')
)

select * from shift_share
union all
select * from structure_upgrading
union all
select * from logs

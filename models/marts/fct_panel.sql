-- The unit-year panel Python reads: one row per in-sample unit and panel year, one column per
-- variable (raw indicators, index scores, derived variables; the list follows the catalog, so a
-- new indicator is a new column without any SQL edit), plus unit attributes and region schemes.
with units as (
    select * from {{ ref('dim_units') }}
    where in_sample
),

years as (
    {{ cipanel.year_spine(var('panel_start_year'), var('panel_end_year')) }}
),

variables_wide as (
    select
        unit_code,
        year,
        sum(case when is_interpolated then 1 else 0 end) as n_interpolated_cells,
        {{ cipanel.pivot_variables(ref('int_panel_variables_long')) }}
    from {{ ref('int_panel_variables_long') }}
    group by unit_code, year
),

regions as (
    select
        unit_code,
        {{ cipanel.pivot_region_schemes(ref('dim_unit_regions')) }}
    from {{ ref('dim_unit_regions') }}
    group by unit_code
)

select
    units.unit_code,
    years.year,
    units.name_zh,
    units.name_en,
    units.is_municipality,
    regions.* exclude (unit_code),
    coalesce(variables_wide.n_interpolated_cells, 0) as n_interpolated_cells,
    variables_wide.* exclude (unit_code, year, n_interpolated_cells)
from units
cross join years
left join regions on units.unit_code = regions.unit_code
left join variables_wide
    on
        units.unit_code = variables_wide.unit_code
        and years.year = variables_wide.year

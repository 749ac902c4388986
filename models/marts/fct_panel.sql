-- The unit-year panel Python reads: one row per unit and panel year, one column per variable (raw
-- indicators, index scores, derived variables; the list follows the catalog, so a new indicator is
-- a new column without any SQL edit), plus unit attributes and region schemes. The units are the
-- index sample (in_sample true) and the units outside it for which the data hold a standalone
-- variable (in_sample false, no index score): a study's default sample is in_sample, and its
-- panel.units.include brings such a unit into its regressions without changing any index.
{{ config(post_hook="{{ cipanel.comment_panel_columns() }}") }}
-- each variable column's label and unit from the catalogs, as a column comment (macros/panel_column_docs.sql):
-- depends_on: {{ ref('stg_catalog__indicators') }}, {{ ref('stg_catalog__derived_variables') }}
-- depends_on: {{ ref('stg_catalog__indices') }}, {{ ref('stg_catalog__dimensions') }}
{%- set variables = cipanel.panel_column_names(ref('int_panel_variables_long'), 'variable') %}
{#- custom units may come without any region scheme -#}
{%- set schemes = cipanel.panel_column_names(ref('dim_unit_regions'), 'scheme', allow_empty=true) %}

with units as (
    select
        unit_code,
        name_zh,
        name_en,
        is_municipality,
        in_sample
    from {{ ref('dim_units') }}
    where
        in_sample
        or (
            unit_type <> 'nation'
            and unit_code in (select panel_units.unit_code from {{ ref('int_panel_variables_long') }} as panel_units)
        )
),

years as (
    {{ cipanel.year_spine(var('panel_start_year'), var('panel_end_year')) }}
),

variables_wide as (
    select
        unit_code,
        year,
        {%- for name in variables %}
            max(case when variable = '{{ name }}' then value end) as {{ name }},
        {%- endfor %}
        sum(case when is_interpolated then 1 else 0 end) as n_interpolated_cells
    from {{ ref('int_panel_variables_long') }}
    group by unit_code, year
),

regions as (
    select
        unit_code,
        {%- for scheme in schemes %}
            max(case when scheme = '{{ scheme }}' then region_code end) as region_{{ scheme }},
        {%- endfor %}
        count(*) as n_schemes
    from {{ ref('dim_unit_regions') }}
    group by unit_code
)

select
    units.unit_code,
    years.year,
    units.name_zh,
    units.name_en,
    units.is_municipality,
    units.in_sample,
    {%- for scheme in schemes %}
        regions.region_{{ scheme }},
    {%- endfor %}
    {%- for name in variables %}
        variables_wide.{{ name }},
    {%- endfor %}
    coalesce(variables_wide.n_interpolated_cells, 0) as n_interpolated_cells
from units
cross join years
-- region columns come from the region seed; the lint target has none, hence the noqa
left join regions on units.unit_code = regions.unit_code  -- noqa: ST11
left join variables_wide
    on
        units.unit_code = variables_wide.unit_code
        and years.year = variables_wide.year

-- Every derivation of a derived variable in the panel years, one row per in-sample unit, year and
-- variable of catalog/derived_variable_catalog.csv: its value where computed, else null with why
-- (outside the catalog's domain, or an input missing). The expressions were checked and turned
-- into SQL before dbt started (cipanel.derived_variables; docs/methods.md, "Derived variables");
-- each variable is one CTE over the previous one, in the catalog's computing order, so a variable
-- may use an earlier one. They run on a unit x year grid without gaps from the first year of any
-- input to the panel's end, so lag(x) over (partition by unit_code order by year) is x of year
-- t - 1; national series are carried to every unit of their year.
-- depends_on: {{ ref('int_indicator_values_interpolated') }}
-- depends_on: {{ ref('int_indicator_attributes') }}
{%- set derived = cipanel.derived_variable_rows(ref('stg_catalog__derived_variables')) %}
{%- set codes = derived | map(attribute='code') | list %}
{%- set indicators = [] %}
{%- for variable in derived %}
    {%- for name in variable.inputs %}
        {%- if name not in codes and name not in indicators %}{% do indicators.append(name) %}{% endif %}
    {%- endfor %}
{%- endfor %}

{%- if derived | length == 0 %}
    -- the project declares no derived variable: an empty table of the same columns
    select
        cast(null as {{ cipanel.text_type() }}) as unit_code,
        cast(null as integer) as year,
        cast(null as {{ cipanel.text_type() }}) as variable,
        cast(null as {{ cipanel.text_type() }}) as input_indicator,
        cast(null as {{ cipanel.double_type() }}) as input_value,
        cast(null as {{ cipanel.text_type() }}) as domain_rule,
        cast(null as {{ cipanel.double_type() }}) as value,
        cast(null as {{ cipanel.text_type() }}) as derivation_status
    from {{ ref('stg_reference__units') }}
    where false
{%- else %}
with values_ as (
    select
        values_.unit_code,
        values_.year,
        values_.indicator_code,
        values_.value,
        attributes.scope
    from {{ ref('int_indicator_values_interpolated') }} as values_
    inner join {{ ref('int_indicator_attributes') }} as attributes
        on values_.indicator_code = attributes.indicator_code
    where values_.indicator_code in (
        {%- for name in indicators %}'{{ name }}'{% if not loop.last %}, {% endif %}{% endfor %}
        {%- if not indicators %}''{% endif %}
    )
),

units as (
    select unit_code
    from {{ ref('stg_reference__units') }}
    where in_sample
),

span as (
    select coalesce(min(year), {{ var('panel_start_year') }}) as first_year from values_
),

grid as (
    select
        units.unit_code,
        years.year
    from units
    cross join ({{ cipanel.year_spine() }}) as years
    cross join span
    where years.year between least(span.first_year, {{ var('panel_start_year') }}) and {{ var('panel_end_year') }}
),

-- one row per unit and year of the inputs (national series: one per year, carried to every unit)
pivoted as (
    select
        {%- for name in indicators %}
            max(case when indicator_code = '{{ name }}' then value end) as {{ name }},
        {%- endfor %}
        case when scope = 'unit' then unit_code end as unit_code,
        year,
        scope
    from values_
    group by case when scope = 'unit' then unit_code end, year, scope
),

step_0 as (
    select
        {%- for name in indicators %}
            coalesce(own.{{ name }}, national.{{ name }}) as {{ name }},
        {%- endfor %}
        grid.unit_code,
        grid.year
    from grid
    left join pivoted as own
        on grid.unit_code = own.unit_code and grid.year = own.year and own.scope = 'unit'
    left join pivoted as national
        on grid.year = national.year and national.scope = 'national'
),

{%- for variable in derived %}

step_{{ loop.index }} as (
    -- a non-finite result (ln(0), 0 / 0 under IEEE rules) is left null and logged, never carried
    select
        *,
        case when {{ cipanel.is_finite(variable.code ~ '__raw') }} then {{ variable.code }}__raw end as {{ variable.code }}
    from (
        select
            *,
            {%- if variable.domain_sql %}
                case when {{ variable.domain_sql }} then cast(({{ variable.expression_sql }}) as {{ cipanel.double_type() }}) end
            {%- else %}
                cast(({{ variable.expression_sql }}) as {{ cipanel.double_type() }})
            {%- endif %}
            as {{ variable.code }}__raw
        from step_{{ loop.index0 }}
    ) as evaluated
),
{%- endfor %}

panel_years as (
    select *
    from step_{{ derived | length }}
    where year between {{ var('panel_start_year') }} and {{ var('panel_end_year') }}
)

{%- for variable in derived %}
{% if not loop.first %}union all{% endif %}
select
    unit_code,
    year,
    '{{ variable.code }}' as variable,
    {{ cipanel.text_literal(variable.inputs | join(', ')) if variable.inputs else 'cast(null as ' ~ cipanel.text_type() ~ ')' }} as input_indicator,
    {%- if variable.inputs | length == 1 and not variable.uses_window %}
        cast({{ variable.inputs[0] }} as {{ cipanel.double_type() }}) as input_value,
    {%- else %}
        cast(null as {{ cipanel.double_type() }}) as input_value,
    {%- endif %}
    {{ cipanel.text_literal(variable.expression ~ (' where ' ~ variable.domain if variable.domain else '')) }} as domain_rule,
    {{ variable.code }} as value,
    {{ cipanel.derivation_status(variable) }} as derivation_status
from panel_years
{%- endfor %}
{%- endif %}

{#- Derived variables declared as data (catalog/derived_variable_catalog.csv, checked and turned
    into SQL by cipanel.derived_variables before dbt starts; see docs/methods.md, "Derived
    variables"). A macro reading the landed catalog rather than SQL written by the landing: the
    model stays one readable file whose CTEs follow the catalog, and dbt's lineage runs through
    the staging model. -#}

{% macro derived_variable_rows(relation) %}
    {#- the catalog's rows in computing order, with the SQL of this engine; parse time and the lint
        target have no tables to read -#}
    {%- if not execute or target.name == 'lint' -%}{{ return([]) }}{%- endif -%}
    {%- set suffix = '_spark' if target.type == 'spark' else '' -%}
    {%- set rows = run_query(
        "select variable_code, expression, domain, inputs, uses_window, expression_sql" ~ suffix
        ~ " as expression_sql, domain_sql" ~ suffix ~ " as domain_sql from " ~ relation ~ " order by computing_order"
    ) -%}
    {%- set out = [] -%}
    {%- for row in rows -%}
        {%- if not modules.re.match('^[a-z][a-z0-9_]*$', row['variable_code']) -%}
            {{ exceptions.raise_compiler_error("derived variable '" ~ row['variable_code'] ~ "' must be lower-case letters, digits and _") }}
        {%- endif -%}
        {%- do out.append({
            'code': row['variable_code'],
            'expression': row['expression'],
            'domain': row['domain'],
            'inputs': (row['inputs'] or '').split(', ') | reject('equalto', '') | list,
            'uses_window': row['uses_window'],
            'expression_sql': row['expression_sql'],
            'domain_sql': row['domain_sql'],
        }) -%}
    {%- endfor -%}
    {{ return(out) }}
{% endmacro %}

{% macro text_literal(text) -%}
    {#- a quoted SQL string of catalog text (Spark also reads backslashes as escapes) -#}
    {%- set text = text | string -%}
    {%- if target.type == 'spark' -%}{%- set text = text | replace('\\', '\\\\') -%}{%- endif -%}
    '{{ text | replace("'", "''") }}'
{%- endmacro %}

{% macro derivation_status(variable) -%}
    {#- why a derived cell is null: outside the catalog's domain, or an input missing (named, for
        an expression without a window; for one with a window, the null may be another year's) -#}
    case
        when {{ variable.code }} is not null then 'computed'
        when {{ variable.code }}__raw is not null then 'outside_domain: not a finite number'
        {%- if variable.domain_sql %}
            when not ({{ variable.domain_sql }})
                then {{ cipanel.text_literal('outside_domain: ' ~ variable.domain ~ ' is false') }}
        {%- endif %}
        {%- if variable.inputs and not variable.uses_window %}
            when
                {% for name in variable.inputs %}{{ name }} is null{% if not loop.last %} or {% endif %}{% endfor %}
                then 'input_missing: ' || concat_ws(
                    ', '{% for name in variable.inputs %}, case when {{ name }} is null then '{{ name }}' end{% endfor %}
                )
        {%- endif %}
        {%- if variable.inputs and variable.uses_window %}
            else {{ cipanel.text_literal('input_missing: ' ~ (variable.inputs | join(', ')) ~ ' in this or another year of the unit') }}
        {%- else %}
            else 'expression_null: the expression gives null for these inputs'
        {%- endif %}
    end
{%- endmacro %}

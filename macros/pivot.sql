{% macro _distinct_values(relation, column) %}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set rows = run_query("select distinct " ~ column ~ " from " ~ relation ~ " order by 1") -%}
    {{ return(rows.columns[0].values() | list) }}
{% endmacro %}

{% macro pivot_variables(relation) %}
    {#- one column per distinct variable; names come from the catalog, so refuse unsafe ones -#}
    {%- set names = cipanel._distinct_values(relation, 'variable') -%}
    {%- if execute and names | length == 0 -%}
        {{ exceptions.raise_compiler_error("no variables in " ~ relation ~ ": is the input folder empty?") }}
    {%- endif -%}
    {%- for name in names -%}
        {%- if not modules.re.match('^[a-z][a-z0-9_]*$', name) -%}
            {{ exceptions.raise_compiler_error("variable name '" ~ name ~ "' must be lower-case letters, digits and _ (check indicator_catalog / index_catalog)") }}
        {%- endif %}
        max(case when variable = '{{ name }}' then value end) as {{ name }}{% if not loop.last %},{% endif %}
    {%- endfor -%}
    {%- if not execute -%}null as _placeholder{%- endif -%}
{% endmacro %}

{% macro pivot_region_schemes(relation) %}
    {%- set schemes = cipanel._distinct_values(relation, 'scheme') -%}
    {%- for scheme in schemes %}
        max(case when scheme = '{{ scheme }}' then region_code end) as region_{{ scheme }}{% if not loop.last %},{% endif %}
    {%- endfor -%}
    {%- if not execute or schemes | length == 0 -%}null as _no_region_scheme{%- endif -%}
{% endmacro %}

{% macro distinct_values(relation, column) %}
    {#- parse time, and linting against the in-memory `lint` target, have no tables to read -#}
    {%- if not execute or target.name == 'lint' -%}{{ return([]) }}{%- endif -%}
    {%- set rows = run_query("select distinct " ~ column ~ " from " ~ relation ~ " order by 1") -%}
    {{ return(rows.columns[0].values() | list) }}
{% endmacro %}

{% macro panel_column_names(relation, column, prefix='', allow_empty=false) %}
    {#- names come from the catalogs and become column names, so refuse unsafe ones -#}
    {%- set names = cipanel.distinct_values(relation, column) -%}
    {%- if execute and target.name != 'lint' and names | length == 0 and not allow_empty -%}
        {{ exceptions.raise_compiler_error("no " ~ column ~ " values in " ~ relation ~ ": is the input folder empty?") }}
    {%- endif -%}
    {%- for name in names -%}
        {%- if not modules.re.match('^[a-z][a-z0-9_]*$', name) -%}
            {{ exceptions.raise_compiler_error(column ~ " '" ~ name ~ "' must be lower-case letters, digits and _ (check the catalogs)") }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(names) }}
{% endmacro %}

{% macro generate_schema_name(custom_schema_name, node) -%}
    {#- plain schema names (marts, staging, ...) so analysts query marts.fct_panel, not main_marts -#}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}

{#- The weight group of an index component's row: the set of rows min-max, entropy and the
    weights are computed over. A pooled index has one group, -1 (the whole window); a per-year
    index has one group per year, numbered by the year. These two macros are the only places the
    encoding is written. -#}

{% macro weight_group(weighting, year) -%}
    case when {{ weighting }} = 'per_year' then {{ year }} else -1 end
{%- endmacro %}

{% macro weight_group_year(weight_group) -%}
    {#- the year of a per-year weight group; null for the pooled group -#}
    case when {{ weight_group }} <> -1 then {{ weight_group }} end
{%- endmacro %}

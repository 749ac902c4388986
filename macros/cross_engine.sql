{#- Engine differences live here, dispatched per adapter, never as `if` branches in models. -#}

{% macro safe_cast(expression, type) %}
    {{ return(adapter.dispatch('safe_cast', 'cipanel')(expression, type)) }}
{% endmacro %}

{% macro default__safe_cast(expression, type) %}
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast({{ expression }} as {{ type }})
{% endmacro %}

{% macro is_finite(expression) %}
    {{ return(adapter.dispatch('is_finite', 'cipanel')(expression)) }}
{% endmacro %}

{% macro default__is_finite(expression) %}
    isfinite({{ expression }})
{% endmacro %}

{% macro ln(expression) %}
    {{ return(adapter.dispatch('ln', 'cipanel')(expression)) }}
{% endmacro %}

{% macro default__ln(expression) %}
    -- natural logarithm; DuckDB's log() is base 10
    ln({{ expression }})
{% endmacro %}

{% macro double_type() %}
    {{ return(adapter.dispatch('double_type', 'cipanel')()) }}
{% endmacro %}

{% macro default__double_type() %}double{% endmacro %}

{% macro text_type() %}
    {{ return(adapter.dispatch('text_type', 'cipanel')()) }}
{% endmacro %}

{% macro default__text_type() %}varchar{% endmacro %}

{% macro is_missing_marker(expression) %}
    -- the markers yearbooks use for "not available"; documented in the README
    (
        {{ expression }} is null
        or {{ expression }} in ('', 'NA', 'N/A', 'na', 'NaN', '..', '...', '…', '—', '-', '--')
    )
{% endmacro %}

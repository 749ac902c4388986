-- Index and dimension scores of every method, long: one row per (index, method, dimension, unit,
-- year). The weighted-sum scores come wide (one column per method) and are unpivoted here; the
-- other scoring models, already long, come from cipanel.long_index_score_models(): the pooled-PCA
-- Python model is not available on Spark (macros/cross_engine.sql). A view: the mart
-- fct_index_scores writes it once, and int_panel_variables_long reads the panel's scores from it
-- (an intermediate model does not read a mart).
{{ config(materialized='view') }}

{%- for method in cipanel.weighted_score_methods() %}
    {%- if not loop.first %}
        union all
    {%- endif %}
    select
        index_code,
        '{{ method }}' as method,
        dimension_code,
        unit_code,
        year,
        score_{{ method }} as score
    from {{ ref('int_index_scores_weighted') }}
{%- endfor %}
{%- for model_name in cipanel.long_index_score_models() %}
    union all
    select
        index_code,
        method,
        dimension_code,
        unit_code,
        year,
        score
    from {{ ref(model_name) }}
{%- endfor %}

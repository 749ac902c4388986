-- Index and dimension scores of every method, long: one row per (index, method, dimension, unit,
-- year). The weighted-sum scores come wide (one column per method) and are unpivoted here; the
-- other scoring models, already long, come from cipanel.long_index_score_models(): the pooled-PCA
-- Python model is not available on Spark (macros/cross_engine.sql). The scoring models are keyed
-- by integer surrogate keys; the codes are joined back here, once per score row (a hash join on a
-- few thousand keys). A view: the mart fct_index_scores writes it once, and
-- int_panel_variables_long reads the panel's scores from it (an intermediate model does not read a
-- mart).
{{ config(materialized='view') }}

with keyed as (
    {%- for method in cipanel.weighted_score_methods() %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select
            index_id,
            '{{ method }}' as method,
            dimension_id,
            unit_id,
            year,
            score_{{ method }} as score
        from {{ ref('int_index_scores_weighted') }}
    {%- endfor %}
    {%- for model_name in cipanel.long_index_score_models() %}
        union all
        select
            index_id,
            method,
            dimension_id,
            unit_id,
            year,
            score
        from {{ ref(model_name) }}
    {%- endfor %}
)

select
    score_keys.index_code,
    keyed.method,
    score_keys.dimension_code,
    units.unit_code,
    keyed.year,
    keyed.score
from keyed
inner join {{ ref('int_index_score_keys') }} as score_keys
    on keyed.index_id = score_keys.index_id and keyed.dimension_id = score_keys.dimension_id
inner join {{ ref('int_unit_keys') }} as units
    on keyed.unit_id = units.unit_id

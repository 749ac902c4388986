-- Index and dimension scores, long: one row per (index, method, dimension, unit, year).
-- dimension_code '_all' is the index itself; method 'entropy' is the default index.
-- The weighted-sum scores come wide (one column per method) and are unpivoted here; the other
-- scoring models, already long, come from cipanel.long_index_score_models(): the pooled-PCA
-- Python model is not available on Spark (macros/cross_engine.sql).
with all_scores as (
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
)

select
    cast(index_code as {{ cipanel.text_type() }}) as index_code,
    cast(method as {{ cipanel.text_type() }}) as method,
    cast(dimension_code as {{ cipanel.text_type() }}) as dimension_code,
    cast(unit_code as {{ cipanel.text_type() }}) as unit_code,
    cast(year as integer) as year,
    cast(score as {{ cipanel.double_type() }}) as score
from all_scores

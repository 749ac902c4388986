-- For weighted-sum methods the index equals the sum of its dimension scores (docs/methods.md §1.6).
with scores as (
    select * from {{ ref('fct_index_scores') }}
    where method in ({{ cipanel.sql_text_list(cipanel.weighted_score_methods()) }})
),

totals as (
    select
        index_code,
        method,
        unit_code,
        year,
        score
    from scores
    where dimension_code = '_all'
),

dimension_sums as (
    select
        index_code,
        method,
        unit_code,
        year,
        sum(score) as score
    from scores
    where dimension_code <> '_all'
    group by index_code, method, unit_code, year
)

select
    totals.index_code,
    totals.method,
    totals.unit_code,
    totals.year,
    totals.score,
    dimension_sums.score as dimension_sum
from totals
left join dimension_sums
    on
        totals.index_code = dimension_sums.index_code
        and totals.method = dimension_sums.method
        and totals.unit_code = dimension_sums.unit_code
        and totals.year = dimension_sums.year
where dimension_sums.score is null or abs(totals.score - dimension_sums.score) > 1e-12

-- Provinces ranked by each entropy index in the last year of its window.
with scores as (
    select
        index_code,
        unit_code,
        year,
        score
    from {{ ref('fct_index_scores') }}
    where method = 'entropy' and dimension_code = '_all'
),

last_year as (
    select
        index_code,
        max(year) as year
    from scores
    group by index_code
)

select
    scores.index_code,
    scores.year,
    units.name_zh,
    scores.score,
    rank() over (partition by scores.index_code order by scores.score desc) as score_rank
from scores
inner join last_year
    on scores.index_code = last_year.index_code and scores.year = last_year.year
inner join {{ ref('dim_units') }} as units on scores.unit_code = units.unit_code
order by scores.index_code, score_rank

-- Index and dimension scores, long: one row per (index, method, dimension, unit, year).
-- dimension_code '_all' is the index itself; method 'entropy' is the default index.
with weighted as (
    select
        index_code,
        method,
        dimension_code,
        unit_code,
        year,
        score
    from {{ ref('int_index_scores_weighted') }}
),

topsis as (
    select
        index_code,
        method,
        dimension_code,
        unit_code,
        year,
        score
    from {{ ref('int_index_scores_topsis') }}
),

pca as (
    select
        index_code,
        method,
        dimension_code,
        unit_code,
        year,
        score
    from {{ ref('int_index_scores_pca') }}
),

all_scores as (
    select * from weighted
    union all
    select * from topsis
    union all
    select * from pca
)

select
    cast(index_code as {{ cipanel.text_type() }}) as index_code,
    cast(method as {{ cipanel.text_type() }}) as method,
    cast(dimension_code as {{ cipanel.text_type() }}) as dimension_code,
    cast(unit_code as {{ cipanel.text_type() }}) as unit_code,
    cast(year as integer) as year,
    cast(score as {{ cipanel.double_type() }}) as score
from all_scores

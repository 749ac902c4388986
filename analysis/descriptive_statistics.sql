-- Descriptive statistics of the entropy indices over each index's window (as in a paper's Table 1).
select
    index_code,
    count(*) as n_obs,
    avg(score) as mean,
    stddev_samp(score) as sd,
    min(score) as min,
    max(score) as max,
    median(score) as median
from {{ ref('fct_index_scores') }}
where method = 'entropy' and dimension_code = '_all'
group by index_code
order by index_code

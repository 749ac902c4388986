-- Entropy weights need at least one indicator that varies within each weight group (the pooled
-- window, or one year under per-year weighting): when every component of an index is constant
-- there, d = 1 - e is 0 for all of them and the weights are undefined. Listed here with the
-- index and the year (weight_group -1 = pooled): supply varying data, or weight the index pooled.
select
    index_code,
    weight_group,
    count(*) as n_indicators
from "demo"."intermediate"."int_index_entropy"
group by index_code, weight_group
having bool_and(is_constant)
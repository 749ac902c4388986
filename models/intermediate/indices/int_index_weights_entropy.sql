-- Entropy weights (docs/methods.md §1.5, §1.7): d = 1 - e, w = d / sum d within the index and weight group.
-- A constant indicator carries no information: d = 0 exactly, so its weight is 0.
with entropy as (
    select
        *,
        case when is_constant then 0.0 else 1.0 - entropy end as divergence
    from {{ ref('int_index_entropy') }}
)

select
    index_code,
    dimension_code,
    indicator_code,
    weight_group,
    index_id,
    dimension_id,
    indicator_id,
    n_rows,
    n_units,
    first_year,
    last_year,
    is_constant,
    entropy,
    min_z,
    max_z,
    divergence,
    divergence / nullif(
        {{ cipanel.ordered_partition_sum('divergence', 'index_code, weight_group', 'indicator_code') }}, 0
    ) as weight
from entropy

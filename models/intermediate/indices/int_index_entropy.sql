-- Entropy of every index component (docs/methods.md §1.3-1.5) in one aggregate pass:
-- with S = sum z', sum p ln p = (sum z' ln z') / S - ln S, and n = the number of rows summed.
with normalised as (
    select
        *,
        -- 0 ln 0 = 0 (the limit) when the shift is zero
        case when z_shifted > 0 then z_shifted * {{ cipanel.ln('z_shifted') }} else 0 end as z_ln_z
    from {{ ref('int_indicators_normalised') }}
),

-- grouped on the integer keys; the codes are joined back to the few result rows
sums as (
    select
        index_id,
        dimension_id,
        indicator_id,
        weight_group,
        count(*) as n_rows,
        count(distinct unit_id) as n_units,
        min(year) as first_year,
        max(year) as last_year,
        bool_or(is_constant) as is_constant,
        {{ cipanel.stable_sum('z_shifted') }} as sum_z,
        {{ cipanel.stable_sum('z_ln_z') }} as sum_z_ln_z,
        -- the best and worst z of the group, for the TOPSIS distances (no second pass over the rows)
        min(z) as min_z,
        max(z) as max_z
    from normalised
    group by index_id, dimension_id, indicator_id, weight_group
)

select
    components.index_code,
    components.dimension_code,
    components.indicator_code,
    sums.weight_group,
    sums.index_id,
    sums.dimension_id,
    sums.indicator_id,
    sums.n_rows,
    sums.n_units,
    sums.first_year,
    sums.last_year,
    sums.is_constant,
    -- S = sum z', kept for the p score basis (p = z' / S) in int_index_scores_weighted
    sums.sum_z as sum_z_shifted,
    case
        when sums.is_constant then 1.0
        -- -(sum p ln p) = ln S - (sum z' ln z') / S
        else ({{ cipanel.ln('sums.sum_z') }} - sums.sum_z_ln_z / sums.sum_z) / {{ cipanel.ln('sums.n_rows') }}
    end as entropy,
    sums.min_z,
    sums.max_z
from sums
inner join {{ ref('int_index_components') }} as components
    on sums.index_id = components.index_id and sums.indicator_id = components.indicator_id

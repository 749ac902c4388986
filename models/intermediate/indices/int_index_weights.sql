-- All indicator weights, one row per (index, method, weight group, indicator): entropy (the
-- default), equal weights and CRITIC as robustness alternatives.
with entropy as (
    select * from {{ ref('int_index_weights_entropy') }}
),

critic as (
    select * from {{ ref('int_index_weights_critic') }}
)

select
    index_code,
    'entropy' as method,
    weight_group,
    dimension_code,
    indicator_code,
    is_constant,
    entropy,
    weight
from entropy

union all

select
    index_code,
    'equal' as method,
    weight_group,
    dimension_code,
    indicator_code,
    is_constant,
    cast(null as {{ cipanel.double_type() }}) as entropy,
    1.0 / count(*) over (partition by index_code, weight_group) as weight
from entropy

union all

select
    critic.index_code,
    'critic' as method,
    critic.weight_group,
    critic.dimension_code,
    critic.indicator_code,
    entropy.is_constant,
    cast(null as {{ cipanel.double_type() }}) as entropy,
    critic.weight
from critic
inner join entropy
    on
        critic.index_code = entropy.index_code
        and critic.weight_group = entropy.weight_group
        and critic.indicator_code = entropy.indicator_code

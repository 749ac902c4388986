-- The (index, dimension) keys a score row carries, mapped back to their codes: one row per
-- dimension of every index and one per index for the index itself (dimension_id 0, '_all').
select distinct
    index_id,
    index_code,
    dimension_id,
    dimension_code
from {{ ref('int_index_components') }}

union all

select distinct
    index_id,
    index_code,
    0 as dimension_id,
    '_all' as dimension_code
from {{ ref('int_index_components') }}

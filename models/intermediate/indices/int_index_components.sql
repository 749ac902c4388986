-- One row per index component (index, indicator) with its dimension, direction and its index's
-- weighting, shift and window, resolved once, and integer surrogate keys: index_id (1, 2, ... in
-- index_code order), dimension_id (1, 2, ... in (index_code, dimension_code) order, 0 is reserved
-- for the index itself, '_all') and indicator_id (int_indicator_attributes). The index models join
-- and group on these keys; int_index_score_keys maps them back to the codes.
select
    components.index_code,
    components.dimension_code,
    components.indicator_code,
    cast(dense_rank() over (order by components.index_code) as integer) as index_id,
    cast(dense_rank() over (order by components.index_code, components.dimension_code) as integer)
        as dimension_id,
    attributes.indicator_id,
    components.direction,
    indices.weighting,
    indices.shift,
    indices.window_start,
    indices.window_end
from {{ ref('stg_catalog__indicators') }} as components
inner join {{ ref('stg_catalog__indices') }} as indices
    on components.index_code = indices.index_code
inner join {{ ref('int_indicator_attributes') }} as attributes
    on components.indicator_code = attributes.indicator_code
where components.is_index_component

-- One row per indicator (the catalog has one row per index membership): the attributes the value
-- models use, its integer surrogate key indicator_id (1, 2, ... in indicator_code order; see
-- int_unit_keys) and its window resolved once. An indicator's window is its catalog first_year /
-- last_year, else the panel window (vars panel_start_year / panel_end_year); values outside it
-- are rejected in int_indicator_values_validated and the grid of int_indicator_values_interpolated
-- spans it.
select
    indicator_code,
    cast(row_number() over (order by indicator_code) as integer) as indicator_id,
    min(label_zh) as label_zh,
    min(cast(unit_of_measure as {{ cipanel.text_type() }})) as unit_of_measure,
    min(scope) as scope,
    bool_or(interpolate) as interpolate,
    -- a component's values of a unit outside the index sample are rejected; a standalone
    -- variable's reach the panel (per-study sample rules may bring such a unit into regressions)
    bool_or(is_index_component) as is_index_component,
    min(index_code) as first_index_code,
    coalesce(min(first_year), {{ var('panel_start_year') }}) as valid_from,
    coalesce(min(last_year), {{ var('panel_end_year') }}) as valid_to
from {{ ref('stg_catalog__indicators') }}
group by indicator_code

{% macro resolved_landed_rows(landed) %}
    {#- The landed rows of `landed` (a relation or CTE with stg_raw__indicator_values' columns) with
        the unit and indicator they resolve to and the attributes the validation rules read. Used
        twice by int_indicator_values_validated, whose CTEs unit_lookup, indicator_lookup and
        indicators it joins: once for the rows, once for the duplicate count (a second, narrow
        resolution is cheaper than reading one wide CTE twice, which DuckDB materialises). -#}
select
    landed.*,
    unit_lookup.unit_code,
    unit_lookup.n_matches as unit_matches,
    indicator_lookup.indicator_code,
    indicator_lookup.n_matches as indicator_matches,
    unit_ids.unit_id,
    unit_ids.in_sample,
    unit_ids.unit_type,
    indicators.indicator_id,
    indicators.scope,
    indicators.is_index_component,
    indicators.first_index_code,
    indicators.unit_of_measure,
    indicators.valid_from,
    indicators.valid_to
from {{ landed }} as landed
left join unit_lookup on lower(landed.unit_key) = unit_lookup.unit_key
left join indicator_lookup on landed.indicator_raw = indicator_lookup.indicator_key
left join {{ ref('int_unit_keys') }} as unit_ids on unit_lookup.unit_code = unit_ids.unit_code
left join indicators on indicator_lookup.indicator_code = indicators.indicator_code
{% endmacro %}

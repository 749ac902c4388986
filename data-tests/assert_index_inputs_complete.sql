-- An index needs every component for every in-sample unit-year of its window. One row per
-- (index, indicator) with cells that could not be filled (before the first or after the last
-- observation, or a gap the interpolation policy leaves), naming the first unit-year and what to do.
select
    index_code,
    indicator_code,
    count(*) as n_missing_cells,
    min(unit_code) as first_unit,
    min(year) as first_year,
    max(year) as last_year,
    min(value_status) as value_status,
    'give ' || indicator_code || ' for every in-sample unit and year of index ' || index_code
    || ' (an indicator with no data at all: remove its row from catalog/indicator_catalog.csv), '
    || 'or shorten the window of ' || index_code || ' in catalog/index_catalog.csv' as fix
from {{ ref('int_indicators_normalised') }}
where value is null
group by index_code, indicator_code

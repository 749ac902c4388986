-- An index needs every component for every in-sample unit-year of its window. A cell that could
-- not be interpolated (before the first or after the last observation) is listed here: supply
-- the value or shorten the index window in index_catalog.csv.
select
    index_code,
    indicator_code,
    unit_code,
    year,
    value_status
from {{ ref('int_indicators_normalised') }}
where value is null

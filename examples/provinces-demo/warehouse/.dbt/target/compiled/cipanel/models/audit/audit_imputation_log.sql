-- Every grid cell without an observed value: interpolated (with the years it was interpolated
-- between) or left missing because it lies before the first or after the last observation.
select
    unit_code,
    indicator_code,
    year,
    value,
    value_status,
    interpolated_from_year,
    interpolated_to_year
from "demo"."intermediate"."int_indicator_values_interpolated"
where value_status <> 'observed'
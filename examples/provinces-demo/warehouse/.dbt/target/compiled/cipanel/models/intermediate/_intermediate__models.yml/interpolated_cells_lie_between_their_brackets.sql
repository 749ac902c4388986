
select *
from "demo"."intermediate"."int_indicator_values_interpolated"
where not (value_status <> 'interpolated' or (interpolated_from_year < year and year < interpolated_to_year))

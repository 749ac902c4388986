-- Every landed row that could not be used, with where it came from and why.
select
    source_file,
    source_sheet,
    source_row,
    source_column,
    unit_raw,
    year_raw,
    indicator_raw,
    value_raw,
    rejection_reason
from "demo"."intermediate"."int_indicator_values_validated"
where rejection_reason is not null
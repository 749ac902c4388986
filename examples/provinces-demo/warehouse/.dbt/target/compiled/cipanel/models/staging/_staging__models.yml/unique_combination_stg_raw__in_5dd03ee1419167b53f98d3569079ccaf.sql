
select source_file, source_sheet, source_row, source_column, count(*) as n_rows
from "demo"."staging"."stg_raw__indicator_values"
group by source_file, source_sheet, source_row, source_column
having count(*) > 1

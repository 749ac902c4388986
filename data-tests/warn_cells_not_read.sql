{{ config(severity='warn') }}
{{ cipanel.log_build_warnings(ref('audit_build_warnings'), 'cells_not_read') }}
-- Cells the landing saw but could not read (a workbook column without a year header, a second
-- value column of a long file, a column of a long file that is not read): rejected rows naming
-- each cell are in audit.audit_rejected_rows; the messages are printed after the build.
select
    subject as source_file,
    message
from {{ ref('audit_build_warnings') }}
where warning_kind = 'cells_not_read'

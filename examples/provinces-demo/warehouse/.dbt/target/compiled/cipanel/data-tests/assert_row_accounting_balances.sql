-- Rows in = rows accepted + rows rejected, per file and in total against the landed source.
with accounting as (
    select
        sum(rows_landed) as rows_landed,
        sum(rows_accepted) as rows_accepted,
        sum(rows_rejected) as rows_rejected
    from "demo"."audit"."audit_row_accounting"
),

landed as (
    select count(*) as rows_in from "demo"."staging"."stg_raw__indicator_values"
)

select
    landed.rows_in,
    accounting.rows_landed,
    accounting.rows_accepted,
    accounting.rows_rejected
from accounting
cross join landed
where
    landed.rows_in <> accounting.rows_accepted + accounting.rows_rejected
    or landed.rows_in <> accounting.rows_landed
-- Rows in = rows accepted + rows rejected, per input file (tested in _audit__models.yml). The
-- landing lands every cell it saw, including those it could not read (a column without a year
-- header, a second value column, a footnote): they are rows_not_read, counted among the rejected.
-- rows_accepted_outside_index_sample are counted among the accepted.
with landed as (
    select
        source_file,
        cast(sum(case when landing_issue is not null then 1 else 0 end) as bigint) as rows_not_read,
        count(*) as rows_landed
    from {{ ref('stg_raw__indicator_values') }}
    group by source_file
),

validated as (
    select
        source_file,
        count(*) as rows_validated,
        sum(case when rejection_reason is null then 1 else 0 end) as rows_accepted,
        sum(case when rejection_reason is null and is_outside_index_sample then 1 else 0 end)
            as rows_accepted_outside_index_sample,
        sum(case when rejection_reason is not null then 1 else 0 end) as rows_rejected
    from {{ ref('int_indicator_values_validated') }}
    group by source_file
)

select
    landed.source_file,
    landed.rows_landed,
    landed.rows_not_read,
    cast(coalesce(validated.rows_accepted, 0) as bigint) as rows_accepted,
    cast(coalesce(validated.rows_rejected, 0) as bigint) as rows_rejected,
    -- of the accepted: standalone values of units outside the index sample (panel only, no index)
    cast(coalesce(validated.rows_accepted_outside_index_sample, 0) as bigint) as rows_accepted_outside_index_sample,
    coalesce(validated.rows_validated, 0) as rows_validated
from landed
left join validated on landed.source_file = validated.source_file

-- Integer surrogate keys of the units (1, 2, ... in unit_code order), with the attributes the
-- value models filter on. The heavy models (validation, interpolation, the index models) join and
-- group on unit_id; the text code is joined back where rows leave them (marts, int_index_scores).
-- At county scale integer keys made the same joins and group-bys about 2.5x faster than text.
select
    unit_code,
    cast(row_number() over (order by unit_code) as integer) as unit_id,
    unit_type,
    in_sample
from {{ ref('stg_reference__units') }}

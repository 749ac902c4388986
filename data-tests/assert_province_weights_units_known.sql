-- The spatial-weights seeds describe one set of provinces: every code of the contiguity seed (on
-- either side of an edge) has a capital in ref_province_capitals, and every capital's province has
-- at least one contiguity row (Hainan's by choice: see the `link` column). Whether the seeds cover
-- a study's units is checked where the weights are used (cipanel.analytics.weights names the unit).
with contiguity_codes as (
    select unit_code from {{ ref('ref_province_contiguity') }}
    union
    select neighbour_code as unit_code from {{ ref('ref_province_contiguity') }}
),

capitals as (
    select unit_code from {{ ref('ref_province_capitals') }}
)

select
    'ref_province_contiguity' as seed,
    contiguity_codes.unit_code,
    'no capital in ref_province_capitals' as problem
from contiguity_codes
where contiguity_codes.unit_code not in (select capitals.unit_code from capitals)
union all
select
    'ref_province_capitals' as seed,
    capitals.unit_code,
    'no row in ref_province_contiguity' as problem
from capitals
where capitals.unit_code not in (select contiguity_codes.unit_code from contiguity_codes)

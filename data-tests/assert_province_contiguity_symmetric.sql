-- Contiguity is symmetric: every (unit, neighbour) pair of ref_province_contiguity is also listed
-- as (neighbour, unit), with the same kind of link.
select
    pairs.unit_code,
    pairs.neighbour_code,
    pairs.link
from {{ ref('ref_province_contiguity') }} as pairs
left join {{ ref('ref_province_contiguity') }} as mirrored
    on
        pairs.unit_code = mirrored.neighbour_code
        and pairs.neighbour_code = mirrored.unit_code
        and pairs.link = mirrored.link
where mirrored.unit_code is null

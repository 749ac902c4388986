-- The spatial-weights seeds speak of the project's units (stg_reference__units): every code in the contiguity and
-- capitals seeds is a unit of ref_units, and every province-level unit of ref_units has a capital.
-- Checked only while ref_units holds provinces (GB/T 2260 codes ending in 0000); a project with
-- its own units (cities, counties) brings its own weights file and does not use these seeds.
with units as (
    select unit_code from {{ ref('stg_reference__units') }}
    where unit_type <> 'nation'
),

province_project as (
    select count(*) > 0 as is_province_project
    from units
    where unit_code like '%0000'
),

weight_codes as (
    select
        unit_code,
        'ref_province_contiguity' as seed
    from {{ ref('ref_province_contiguity') }}
    union all
    select
        neighbour_code as unit_code,
        'ref_province_contiguity' as seed
    from {{ ref('ref_province_contiguity') }}
    union all
    select
        unit_code,
        'ref_province_capitals' as seed
    from {{ ref('ref_province_capitals') }}
),

unknown as (
    select distinct
        weight_codes.seed,
        weight_codes.unit_code,
        'not a unit of ref_units' as problem
    from weight_codes
    where weight_codes.unit_code not in (select known.unit_code from units as known)
),

no_capital as (
    select
        'ref_province_capitals' as seed,
        units.unit_code,
        'province-level unit without a capital' as problem
    from units
    where units.unit_code not in (select capitals.unit_code from {{ ref('ref_province_capitals') }} as capitals)
)

select unknown.* from unknown cross join province_project
where province_project.is_province_project
union all
select no_capital.* from no_capital cross join province_project
where province_project.is_province_project

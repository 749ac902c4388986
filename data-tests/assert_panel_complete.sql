-- Every unit of the panel appears in every panel year exactly once, and every in-sample unit is
-- in the panel (units outside the index sample are there only when the data hold values for them).
with panel_units as (
    select
        unit_code,
        count(distinct year) as n_years,
        count(*) as n_rows
    from {{ ref('fct_panel') }}
    group by unit_code
),

expected as (
    select {{ var('panel_end_year') }} - {{ var('panel_start_year') }} + 1 as n_years
),

incomplete as (
    select
        panel_units.unit_code,
        panel_units.n_rows,
        'unit has ' || cast(panel_units.n_rows as {{ cipanel.text_type() }})
        || ' rows, not one per panel year' as problem
    from panel_units
    cross join expected
    where panel_units.n_years <> expected.n_years or panel_units.n_rows <> expected.n_years
),

absent as (
    select
        dim_units.unit_code,
        0 as n_rows,
        'in-sample unit missing from the panel' as problem
    from {{ ref('dim_units') }} as dim_units
    left join panel_units on dim_units.unit_code = panel_units.unit_code
    where dim_units.in_sample and panel_units.unit_code is null
)

select * from incomplete
union all
select * from absent

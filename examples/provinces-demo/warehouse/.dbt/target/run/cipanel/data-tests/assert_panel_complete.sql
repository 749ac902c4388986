
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  -- Every in-sample unit appears in every panel year exactly once.
with expected as (
    select count(*) * (2023 - 2014 + 1) as n_rows
    from "demo"."marts"."dim_units"
    where in_sample
),

actual as (
    select count(*) as n_rows from "demo"."marts"."fct_panel"
)

select
    expected.n_rows as expected_rows,
    actual.n_rows as actual_rows
from expected
cross join actual
where expected.n_rows <> actual.n_rows
  
  
      
    ) dbt_internal_test
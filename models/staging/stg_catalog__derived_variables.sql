{{ config(pre_hook="{{ cipanel.register_landed_rows('derived_variable_catalog') }}") }}
-- One row per derived variable of catalog/derived_variable_catalog.csv, in the order they are
-- computed (a variable after the ones it uses). The landing checked every expression against the
-- allow-list (cipanel.derived_variables) and regenerated its SQL: the *_sql columns, not the text
-- as written, are what int_panel_derivations compiles.
-- (noqa ST06: the linter reads the column `domain` as a keyword, not as a simple target)
select  -- noqa: ST06
    variable_code,
    expression,
    domain,  -- noqa: RF04
    unit_of_measure,
    rationale,
    inputs,
    expression_sql,
    domain_sql,
    expression_sql_spark,
    domain_sql_spark,
    cast(computing_order as integer) as computing_order,
    coalesce(label_zh, label_en, variable_code) as label_zh,
    coalesce(label_en, label_zh, variable_code) as label_en,
    cast(uses_window as boolean) as uses_window
from {{ source('raw', 'derived_variable_catalog') }}

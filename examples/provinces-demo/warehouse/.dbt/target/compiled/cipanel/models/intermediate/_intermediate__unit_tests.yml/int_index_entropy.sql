
-- Fixture for int_index_entropy
select 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('x' as character varying)
 as "index_code", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('d1' as character varying)
 as "dimension_code", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('a' as character varying)
 as "indicator_code", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(-1 as INTEGER)
 as "weight_group", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as BIGINT) as "n_rows", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as BIGINT) as "n_units", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as INTEGER) as "first_year", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as INTEGER) as "last_year", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(False as BOOLEAN)
 as "is_constant", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "sum_z_shifted", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(0.5 as DOUBLE)
 as "entropy"
union all
select 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('x' as character varying)
 as "index_code", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('d1' as character varying)
 as "dimension_code", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('b' as character varying)
 as "indicator_code", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(-1 as INTEGER)
 as "weight_group", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as BIGINT) as "n_rows", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as BIGINT) as "n_units", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as INTEGER) as "first_year", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as INTEGER) as "last_year", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(True as BOOLEAN)
 as "is_constant", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "sum_z_shifted", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(1.0 as DOUBLE)
 as "entropy"
union all
select 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('x' as character varying)
 as "index_code", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('d2' as character varying)
 as "dimension_code", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('c' as character varying)
 as "indicator_code", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(-1 as INTEGER)
 as "weight_group", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as BIGINT) as "n_rows", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as BIGINT) as "n_units", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as INTEGER) as "first_year", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as INTEGER) as "last_year", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(False as BOOLEAN)
 as "is_constant", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "sum_z_shifted", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(0.0 as DOUBLE)
 as "entropy"
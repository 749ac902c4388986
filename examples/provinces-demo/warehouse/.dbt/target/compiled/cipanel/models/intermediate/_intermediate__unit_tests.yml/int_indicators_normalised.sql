
-- Fixture for int_indicators_normalised
select 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('x' as character varying)
 as "index_code", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('d1' as character varying)
 as "dimension_code", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('a' as character varying)
 as "indicator_code", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "direction", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "weighting", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(-1 as INTEGER)
 as "weight_group", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('u1' as character varying)
 as "unit_code", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(2020 as INTEGER)
 as "year", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "value", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "value_status", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "group_min", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "group_max", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(False as BOOLEAN)
 as "is_constant", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "z", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(1.0 as DOUBLE)
 as "z_shifted"
union all
select 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('x' as character varying)
 as "index_code", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('d1' as character varying)
 as "dimension_code", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('a' as character varying)
 as "indicator_code", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "direction", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "weighting", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(-1 as INTEGER)
 as "weight_group", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('u2' as character varying)
 as "unit_code", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(2020 as INTEGER)
 as "year", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "value", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "value_status", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "group_min", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "group_max", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(False as BOOLEAN)
 as "is_constant", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "z", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(1.0 as DOUBLE)
 as "z_shifted"
union all
select 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('x' as character varying)
 as "index_code", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('d1' as character varying)
 as "dimension_code", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('a' as character varying)
 as "indicator_code", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "direction", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "weighting", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(-1 as INTEGER)
 as "weight_group", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('u1' as character varying)
 as "unit_code", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(2021 as INTEGER)
 as "year", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "value", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "value_status", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "group_min", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "group_max", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(False as BOOLEAN)
 as "is_constant", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "z", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(0.0 as DOUBLE)
 as "z_shifted"
union all
select 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('x' as character varying)
 as "index_code", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('d1' as character varying)
 as "dimension_code", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('a' as character varying)
 as "indicator_code", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "direction", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "weighting", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(-1 as INTEGER)
 as "weight_group", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('u2' as character varying)
 as "unit_code", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(2021 as INTEGER)
 as "year", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "value", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "value_status", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "group_min", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "group_max", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(False as BOOLEAN)
 as "is_constant", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "z", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(0.0 as DOUBLE)
 as "z_shifted"
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
 as "indicator_code", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "direction", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "weighting", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(-1 as INTEGER)
 as "weight_group", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('u1' as character varying)
 as "unit_code", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(2020 as INTEGER)
 as "year", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "value", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "value_status", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "group_min", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "group_max", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(True as BOOLEAN)
 as "is_constant", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "z", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(0.0001 as DOUBLE)
 as "z_shifted"
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
 as "indicator_code", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "direction", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "weighting", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(-1 as INTEGER)
 as "weight_group", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('u2' as character varying)
 as "unit_code", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(2020 as INTEGER)
 as "year", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "value", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "value_status", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "group_min", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "group_max", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(True as BOOLEAN)
 as "is_constant", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "z", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(0.0001 as DOUBLE)
 as "z_shifted"
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
 as "indicator_code", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "direction", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "weighting", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(-1 as INTEGER)
 as "weight_group", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('u1' as character varying)
 as "unit_code", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(2021 as INTEGER)
 as "year", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "value", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "value_status", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "group_min", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "group_max", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(True as BOOLEAN)
 as "is_constant", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "z", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(0.0001 as DOUBLE)
 as "z_shifted"
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
 as "indicator_code", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "direction", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "weighting", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(-1 as INTEGER)
 as "weight_group", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('u2' as character varying)
 as "unit_code", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(2021 as INTEGER)
 as "year", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "value", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "value_status", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "group_min", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "group_max", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(True as BOOLEAN)
 as "is_constant", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "z", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(0.0001 as DOUBLE)
 as "z_shifted"
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
 as "indicator_code", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "direction", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "weighting", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(-1 as INTEGER)
 as "weight_group", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('u1' as character varying)
 as "unit_code", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(2020 as INTEGER)
 as "year", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "value", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "value_status", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "group_min", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "group_max", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(False as BOOLEAN)
 as "is_constant", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "z", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(1.0 as DOUBLE)
 as "z_shifted"
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
 as "indicator_code", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "direction", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "weighting", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(-1 as INTEGER)
 as "weight_group", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('u2' as character varying)
 as "unit_code", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(2020 as INTEGER)
 as "year", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "value", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "value_status", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "group_min", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "group_max", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(False as BOOLEAN)
 as "is_constant", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "z", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(0.0 as DOUBLE)
 as "z_shifted"
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
 as "indicator_code", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "direction", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "weighting", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(-1 as INTEGER)
 as "weight_group", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('u1' as character varying)
 as "unit_code", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(2021 as INTEGER)
 as "year", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "value", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "value_status", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "group_min", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "group_max", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(False as BOOLEAN)
 as "is_constant", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "z", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(0.0 as DOUBLE)
 as "z_shifted"
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
 as "indicator_code", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "direction", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "weighting", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(-1 as INTEGER)
 as "weight_group", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast('u2' as character varying)
 as "unit_code", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(2021 as INTEGER)
 as "year", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "value", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as character varying(256)) as "value_status", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "group_min", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "group_max", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(False as BOOLEAN)
 as "is_constant", -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(null as DOUBLE) as "z", 
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (PITFALLS)
    try_cast(0.0 as DOUBLE)
 as "z_shifted"
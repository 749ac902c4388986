{#- Engine differences live here, dispatched per adapter, never as `if` branches in models.
    default__ is DuckDB (the default engine); spark__ is Apache Spark 4 (the `spark` target). -#}

{% macro safe_cast(expression, type) %}
    {{ return(adapter.dispatch('safe_cast', 'cipanel')(expression, type)) }}
{% endmacro %}

{% macro default__safe_cast(expression, type) %}
    -- dbt.safe_cast is a plain cast on DuckDB and errors on text such as 'NA' (seen with DuckDB 1.4-2.0)
    try_cast({{ expression }} as {{ type }})
{% endmacro %}

{% macro spark__safe_cast(expression, type) %}
    {%- if type | lower in ('double', 'float', 'real') -%}
        {#- Spark parses text to a number with Java's rules: it accepts a type suffix ('1.5d', '2f')
            that DuckDB rejects and rejects the digit separator ('1_000') that DuckDB accepts.
            Reject the first and remove the second so both engines accept the same text. -#}
        case
            when not {{ expression }} rlike '[0-9.][dDfF]\\s*$'
                then try_cast(regexp_replace({{ expression }}, '(?<=[0-9])_(?=[0-9])', '') as {{ type }})
        end
    {%- else -%}
        try_cast({{ expression }} as {{ type }})
    {%- endif -%}
{% endmacro %}

{% macro is_finite(expression) %}
    {{ return(adapter.dispatch('is_finite', 'cipanel')(expression)) }}
{% endmacro %}

{% macro default__is_finite(expression) %}
    isfinite({{ expression }})
{% endmacro %}

{% macro spark__is_finite(expression) %}
    {#- Spark has no isfinite(); NaN compares greater than every number, so NaN and +-inf are not
        below infinity (null stays null, as in DuckDB) -#}
    (abs({{ expression }}) < cast('Infinity' as double))
{% endmacro %}

{% macro ln(expression) %}
    {{ return(adapter.dispatch('ln', 'cipanel')(expression)) }}
{% endmacro %}

{% macro default__ln(expression) %}
    -- natural logarithm; DuckDB's log() is base 10
    ln({{ expression }})
{% endmacro %}

{#- Spark's ln() is the natural logarithm too (its log() is also natural): the default serves both. -#}

{% macro double_type() %}
    {{ return(adapter.dispatch('double_type', 'cipanel')()) }}
{% endmacro %}

{% macro default__double_type() %}double{% endmacro %}

{% macro text_type() %}
    {{ return(adapter.dispatch('text_type', 'cipanel')()) }}
{% endmacro %}

{% macro default__text_type() %}varchar{% endmacro %}

{#- Spark rejects `varchar` without a length -#}
{% macro spark__text_type() %}string{% endmacro %}

{% macro regexp_matches(expression, pattern) %}
    {{ return(adapter.dispatch('regexp_matches', 'cipanel')(expression, pattern)) }}
{% endmacro %}

{% macro default__regexp_matches(expression, pattern) %}
    regexp_matches({{ expression }}, {{ pattern }})
{% endmacro %}

{% macro spark__regexp_matches(expression, pattern) %}
    ({{ expression }} rlike {{ pattern }})
{% endmacro %}

{% macro remove_whitespace(expression, extra='') %}
    {#- every whitespace character (space, tab, newline, ...) and the `extra` characters removed -#}
    {{ return(adapter.dispatch('remove_whitespace', 'cipanel')(expression, extra)) }}
{% endmacro %}

{% macro default__remove_whitespace(expression, extra) %}
    regexp_replace({{ expression }}, '[[:space:]{{ extra }}]', '', 'g')
{% endmacro %}

{% macro spark__remove_whitespace(expression, extra) %}
    {#- Java regular expressions: no POSIX [:space:] class (\p{Space} is the same set); replaces all
        matches without a flag -#}
    regexp_replace({{ expression }}, '[\\p{Space}{{ extra }}]', '')
{% endmacro %}

{% macro last_non_null(expression) %}
    {#- window function: the last non-null value of the frame (use with an ordered window) -#}
    {{ return(adapter.dispatch('last_non_null', 'cipanel')(expression)) }}
{% endmacro %}

{% macro default__last_non_null(expression) %}
    last_value({{ expression }} ignore nulls)
{% endmacro %}

{% macro spark__last_non_null(expression) %}
    last_value({{ expression }}, true)
{% endmacro %}

{% macro first_non_null(expression) %}
    {#- window function: the first non-null value of the frame (use with an ordered window) -#}
    {{ return(adapter.dispatch('first_non_null', 'cipanel')(expression)) }}
{% endmacro %}

{% macro default__first_non_null(expression) %}
    first_value({{ expression }} ignore nulls)
{% endmacro %}

{% macro spark__first_non_null(expression) %}
    first_value({{ expression }}, true)
{% endmacro %}

{% macro is_missing_marker(expression) %}
    -- the markers yearbooks use for "not available"; documented in the README
    (
        {{ expression }} is null
        or {{ expression }} in ('', 'NA', 'N/A', 'na', 'NaN', '..', '...', '…', '—', '-', '--')
    )
{% endmacro %}

{% macro weighted_score_methods() %}
    {#- the weighting methods int_index_scores_weighted scores with, one score_<method> column each -#}
    {{ return(['entropy', 'equal', 'critic']) }}
{% endmacro %}

{% macro long_index_score_models() %}
    {#- the long scoring models (one row per method and score, keyed by index_id, dimension_id,
        unit_id, year) int_index_scores stacks under the unpivoted weighted scores, one per scoring
        method family -#}
    {{ return(adapter.dispatch('long_index_score_models', 'cipanel')()) }}
{% endmacro %}

{% macro default__long_index_score_models() %}
    {{ return(['int_index_scores_topsis', 'int_index_scores_pca']) }}
{% endmacro %}

{% macro spark__long_index_score_models() %}
    {#- int_index_scores_pca is a dbt-duckdb Python model (an eigen-decomposition has no portable SQL
        form) and is disabled on Spark in dbt_project.yml: Spark has no pca method -#}
    {{ return(['int_index_scores_topsis']) }}
{% endmacro %}

{% macro register_landed_rows(name='indicator_values') %}
    {#- pre-hook of the staging models that read a landed source: makes the source raw.<name> exist -#}
    {{ return(adapter.dispatch('register_landed_rows', 'cipanel')(name)) }}
{% endmacro %}

{% macro default__register_landed_rows(name) %}
    {#- DuckDB: nothing to do, the dbt-duckdb `landing` plugin lands the input files when the source
        compiles (models/staging/_raw__sources.yml) -#}
    {{ return('') }}
{% endmacro %}

{% macro spark__register_landed_rows(name) %}
    {#- Spark has no source plugins. `cipanel compare-spark` (cipanel.spark_compare.land_to_parquet)
        runs the same Python landing and writes its rows to Parquet under CIPANEL_SPARK_DIR; here the
        source becomes an external table over that folder, so the staging SQL is the same on both
        engines. A table, not a temporary view: Spark refuses permanent views (staging) over
        temporary views. Dropping an external table keeps its files. -#}
    {%- set location = env_var('CIPANEL_SPARK_DIR', '/tmp/cipanel-spark') ~ '/landed/' ~ name -%}
    {%- set relation = source('raw', name) -%}
    {%- do run_query('create schema if not exists ' ~ relation.schema) -%}
    {%- do run_query('drop table if exists ' ~ relation) -%}
    {%- do run_query("create table " ~ relation ~ " using parquet location '" ~ location ~ "'") -%}
    {{ return('') }}
{% endmacro %}

{#- A floating-point sum whose result does not depend on how the engine splits the rows among
    threads. A parallel hash aggregate merges partial sums in whichever order the threads finish,
    which moved index scores by 1e-14 relative between builds and thread counts. DuckDB's fsum()
    is a compensated (Kahan-Babuska) sum: it carries the rounding error of every addition, so its
    result is the correctly rounded sum whatever the order unless the terms nearly cancel (a sum
    far smaller than its terms), which the sums of these models do not do (measured:
    identical across 1, 2 and 4 threads at county scale, at the cost of a plain sum; an ordered
    aggregate `sum(x order by k)` is also exact in order but was 4-15x slower there, and 10x in
    the CRITIC self-join). Standard deviations and correlations are written with these sums (see
    int_index_weights_critic), since DuckDB's stddev_samp/corr merge Welford states in any order. -#}
{% macro stable_sum(expression) %}
    {{ return(adapter.dispatch('stable_sum', 'cipanel')(expression)) }}
{% endmacro %}

{% macro default__stable_sum(expression) -%}
    fsum({{ expression }})
{%- endmacro %}

{#- Spark has no compensated sum: the plain one (Spark results are compared with DuckDB's to
    1e-12, not bit for bit). -#}
{% macro spark__stable_sum(expression) -%}
    sum({{ expression }})
{%- endmacro %}

{#- The window form over a small partition (the indicators of one index and weight group): a
    whole-partition sum taken in `order_by` order, so the rows are added in one fixed order. -#}
{% macro ordered_partition_sum(expression, partition_by, order_by) -%}
    sum({{ expression }}) over (
        partition by {{ partition_by }} order by {{ order_by }}
        rows between unbounded preceding and unbounded following
    )
{%- endmacro %}

{% macro spark__persist_constraints(relation, model) %}
    {#- Overrides dbt-spark's: it adds a contract's constraints with ALTER TABLE, which only Delta
        tables accept, and the spark target writes plain local tables. On Spark the contracts check
        the column names and types; the rules the constraints enforce on DuckDB run there as data
        tests, enabled on Spark only (see the models' yml). -#}
{% endmacro %}

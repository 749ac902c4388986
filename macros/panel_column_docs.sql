{#- fct_panel's variable columns follow the catalogs, so no properties file can list them. This
    post-hook of fct_panel writes each one's label and unit from the catalogs as a column comment:
    DuckDB clients (duckdb_columns(), DBeaver, ...) show it, and `dbt docs generate` carries it into
    target/catalog.json as the column's `comment`. DuckDB only (Spark tables keep no comments here). -#}

{% macro comment_panel_columns() %}
    {{ return(adapter.dispatch('comment_panel_columns', 'cipanel')()) }}
{% endmacro %}

{% macro spark__comment_panel_columns() %}{{ return('') }}{% endmacro %}

{% macro default__comment_panel_columns() %}
    {%- if not execute or target.name == 'lint' -%}{{ return('') }}{%- endif -%}
    {%- set rows = run_query(
        "select code, min(label) from ("
        ~ " select indicator_code as code, label_zh || ' / ' || label_en"
        ~ " || coalesce(' (' || unit_of_measure || ')', '') || '; indicator' as label"
        ~ " from " ~ ref('stg_catalog__indicators')
        ~ " union all select variable_code, label_zh || ' / ' || label_en"
        ~ " || coalesce(' (' || unit_of_measure || ')', '') || '; derived: ' || expression"
        ~ " || coalesce(' where ' || domain, '') from " ~ ref('stg_catalog__derived_variables')
        ~ " union all select index_code, coalesce(label_zh, index_code) || ' / ' || coalesce(label_en, index_code)"
        ~ " || '; index score (entropy weights)' from " ~ ref('stg_catalog__indices')
        ~ " union all select dimensions.index_code || '_' || dimensions.dimension_code,"
        ~ " coalesce(dimensions.label_zh, dimensions.dimension_code) || ' / '"
        ~ " || coalesce(dimensions.label_en, dimensions.dimension_code) || '; dimension score of index '"
        ~ " || dimensions.index_code from " ~ ref('stg_catalog__dimensions') ~ " as dimensions"
        ~ ") as labels group by code"
    ) -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {%- set statements = [] -%}
    {%- for row in rows -%}
        {%- if row[0] in columns and row[1] -%}
            {%- do statements.append("comment on column " ~ this ~ "." ~ adapter.quote(row[0]) ~ " is "
                ~ cipanel.text_literal(row[1])) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements | join(';\n')) }}
{% endmacro %}

{% macro log_build_warnings(warnings_model, warning_kind) %}
    {#- A warn test's own output is a count ("Got 2 results"): when the test runs in a build or test
        command, print the messages of audit_build_warnings it counts, naming each indicator, index
        or file. Nothing when the model is not built yet (compile, docs). The caller passes
        ref('audit_build_warnings'), so dbt sees the dependency at parse time. -#}
    {% if execute and flags.WHICH in ('build', 'test') %}
        {% set relation = load_relation(warnings_model) %}
        {% if relation is not none %}
            {% set found = run_query(
                "select message from " ~ relation ~ " where warning_kind = '" ~ warning_kind ~ "' order by message"
            ) %}
            {% for message in found.columns[0].values() %}
                {{ log("warning: " ~ message, info=True) }}
            {% endfor %}
        {% endif %}
    {% endif %}
{% endmacro %}

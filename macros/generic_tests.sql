{#- The few generic tests dbt_utils would give us (hub packages are unreachable offline). -#}

{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as n_rows
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}

{% test accepted_range(model, column_name, min_value=none, max_value=none, tolerance=0) %}
select *
from {{ model }}
where
    {{ column_name }} is not null
    and (
        false
        {% if min_value is not none %} or {{ column_name }} < {{ min_value }} - {{ tolerance }}{% endif %}
        {% if max_value is not none %} or {{ column_name }} > {{ max_value }} + {{ tolerance }}{% endif %}
    )
{% endtest %}

{% test sums_to_one(model, column_name, group_by, tolerance=1e-9) %}
select {{ group_by | join(', ') }}, sum({{ column_name }}) as total
from {{ model }}
group by {{ group_by | join(', ') }}
having abs(sum({{ column_name }}) - 1) > {{ tolerance }} or sum({{ column_name }}) is null
{% endtest %}

{% test expression_is_true(model, expression) %}
select *
from {{ model }}
where not ({{ expression }})
{% endtest %}

{#- Several columns' not-null tests in one query over the model (each dbt test node costs ~30-50 ms
    of overhead, more than these scans): the failing rows with the names of their null columns. -#}
{% test not_null_columns(model, columns) %}
select
    concat_ws(', '
        {%- for column in columns %}, case when {{ column }} is null then '{{ column }}' end{% endfor %}
    ) as null_columns,
    *
from {{ model }}
where {% for column in columns %}{{ column }} is null{% if not loop.last %} or {% endif %}{% endfor %}
{% endtest %}

{#- Each column unique on its own (like dbt's unique test per column), in one test node: every
    duplicated value with its column's name and count. -#}
{% test unique_columns(model, columns) %}
{% for column in columns %}
select '{{ column }}' as column_name, cast({{ column }} as {{ cipanel.text_type() }}) as duplicated_value, count(*) as n_rows
from {{ model }}
where {{ column }} is not null
group by {{ column }}
having count(*) > 1
{% if not loop.last %}union all{% endif %}
{% endfor %}
{% endtest %}

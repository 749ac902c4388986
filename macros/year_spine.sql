{% macro year_spine(first_year=1900, last_year=2100) %}
    {#- a literal list of years: portable across engines, no generator function needed -#}
    select year from (
        values {% for y in range(first_year, last_year + 1) %}({{ y }}){% if not loop.last %}, {% endif %}{% endfor %}
    ) as spine (year)
{% endmacro %}

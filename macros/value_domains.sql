{% macro nonnegative_units() %}
    {#- Units of measure (the catalog's unit_of_measure) of counts, amounts, densities and ratios
        of amounts: a negative value in one of them is a typing or sign error and is quarantined.
        Percentages, indices and unknown units may be negative (growth rates, balances) and pass.
        Override with --vars '{nonnegative_units: [...]}'. -#}
    {{ return(var('nonnegative_units', [
        '元', '万元', '亿元', '万亿元', '美元', '万美元', '亿美元', '元/人',
        '个', '万个', '件', '家', '户', '人', '万人', '人年', '篇', '台', '辆', '所', '项', '次',
        '人/万人', '台/万人', '吨', '万吨', '吨标准煤/万元', '公里', '公里/平方公里', '平方公里', '年', '倍', '比值'
    ])) }}
{% endmacro %}

{% macro sql_text_list(values) -%}
    {%- for v in values -%}'{{ v | replace("'", "''") }}'{% if not loop.last %}, {% endif %}{%- endfor -%}
{%- endmacro %}

-- Weighted-sum scores (METHODS 1.6) for every weighting method: S = scale * sum_j w_j * basis_j,
-- basis z, z' (default) or p as the index catalog says. A dimension score is the same sum over the
-- dimension's indicators, not renormalised, so the index total equals the sum of its dimensions.
-- The weights of all methods are pivoted to one row per indicator first, so the component rows are
-- joined and aggregated once for all methods (not once per method), then unpivoted to long form.
{% set methods = ['entropy', 'equal', 'critic'] %}
with normalised as (
    select
        index_code,
        dimension_code,
        indicator_code,
        weight_group,
        unit_code,
        year,
        z,
        z_shifted
    from {{ ref('int_indicators_normalised') }}
),

-- sum of z' per normalisation group, for the p basis (p = z' / sum z')
group_sums as (
    select
        index_code,
        indicator_code,
        weight_group,
        sum(z_shifted) as sum_z_shifted
    from normalised
    group by index_code, indicator_code, weight_group
),

indices as (
    select * from {{ ref('stg_catalog__indices') }}
),

factors as (
    select
        weights.index_code,
        weights.weight_group,
        weights.indicator_code,
        min(indices.score_basis) as score_basis,
        {%- for method in methods %}
            max(case when weights.method = '{{ method }}' then indices.scale * weights.weight end) as f_{{ method }}
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('int_index_weights') }} as weights
    inner join indices on weights.index_code = indices.index_code
    group by weights.index_code, weights.weight_group, weights.indicator_code
),

based as (
    select
        normalised.index_code,
        normalised.dimension_code,
        normalised.unit_code,
        normalised.year,
        {%- for method in methods %}
            factors.f_{{ method }},
        {%- endfor %}
        case factors.score_basis
            when 'z' then normalised.z
            when 'p' then normalised.z_shifted / group_sums.sum_z_shifted
            else normalised.z_shifted
        end as basis
    from normalised
    inner join factors
        on
            normalised.index_code = factors.index_code
            and normalised.weight_group = factors.weight_group
            and normalised.indicator_code = factors.indicator_code
    inner join group_sums
        on
            normalised.index_code = group_sums.index_code
            and normalised.weight_group = group_sums.weight_group
            and normalised.indicator_code = group_sums.indicator_code
),

dimensions as (
    select
        index_code,
        dimension_code,
        unit_code,
        year,
        {%- for method in methods %}
            sum(f_{{ method }} * basis) as score_{{ method }}
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from based
    group by index_code, dimension_code, unit_code, year
),

totals as (
    select
        index_code,
        '_all' as dimension_code,
        unit_code,
        year,
        {%- for method in methods %}
            sum(score_{{ method }}) as score_{{ method }}
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from dimensions
    group by index_code, unit_code, year
),

both_levels as (
    select * from dimensions
    union all
    select * from totals
)

{% for method in methods %}
    select
        index_code,
        '{{ method }}' as method,
        dimension_code,
        unit_code,
        year,
        score_{{ method }} as score
    from both_levels
    {% if not loop.last %}union all{% endif %}
{% endfor %}

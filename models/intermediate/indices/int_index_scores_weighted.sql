-- Weighted-sum scores (docs/methods.md §1.6) for every weighting method: S = scale * sum_j w_j * basis_j,
-- basis z, z' (default) or p as the index catalog says. A dimension score is the same sum over the
-- dimension's indicators, not renormalised, so the index total equals the sum of its dimensions.
-- The weights of all methods are pivoted to one row per indicator first, so the component rows are
-- joined and aggregated once for all methods (not once per method). Wide, one score column per
-- method: int_index_scores unpivots it (writing the long form here as well cost 3x the write).
-- Keyed by the integer surrogate keys (index_id, dimension_id with 0 for the index total, unit_id,
-- year): int_index_scores joins the codes back (int_index_score_keys, int_unit_keys).
{% set methods = cipanel.weighted_score_methods() %}
with normalised as (
    select
        index_id,
        dimension_id,
        indicator_id,
        weight_group,
        unit_id,
        year,
        z,
        z_shifted
    from {{ ref('int_indicators_normalised') }}
),

indices as (
    select * from {{ ref('stg_catalog__indices') }}
),

-- one row per indicator and weight group: the basis, S = sum z' (for p = z' / S, from the entropy
-- pass) and scale * weight for every method
factors as (
    select
        weights.index_code,
        weights.weight_group,
        weights.indicator_code,
        min(entropy.index_id) as index_id,
        min(entropy.indicator_id) as indicator_id,
        min(indices.score_basis) as score_basis,
        min(entropy.sum_z_shifted) as sum_z_shifted,
        {%- for method in methods %}
            max(case when weights.method = '{{ method }}' then indices.scale * weights.weight end) as f_{{ method }}
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('int_index_weights') }} as weights
    inner join indices on weights.index_code = indices.index_code
    inner join {{ ref('int_index_entropy') }} as entropy
        on
            weights.index_code = entropy.index_code
            and weights.weight_group = entropy.weight_group
            and weights.indicator_code = entropy.indicator_code
    group by weights.index_code, weights.weight_group, weights.indicator_code
),

based as (
    select
        normalised.index_id,
        normalised.dimension_id,
        normalised.unit_id,
        normalised.year,
        {%- for method in methods %}
            factors.f_{{ method }},
        {%- endfor %}
        case factors.score_basis
            when 'z' then normalised.z
            when 'p' then normalised.z_shifted / factors.sum_z_shifted
            else normalised.z_shifted
        end as basis
    from normalised
    inner join factors
        on
            normalised.index_id = factors.index_id
            and normalised.weight_group = factors.weight_group
            and normalised.indicator_id = factors.indicator_id
),

dimensions as (
    select
        index_id,
        dimension_id,
        unit_id,
        year,
        {%- for method in methods %}
            {{ cipanel.stable_sum('f_' ~ method ~ ' * basis') }} as score_{{ method }}
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from based
    group by index_id, dimension_id, unit_id, year
),

totals as (
    select
        index_id,
        0 as dimension_id,
        unit_id,
        year,
        {%- for method in methods %}
            {{ cipanel.stable_sum('score_' ~ method) }} as score_{{ method }}
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from dimensions
    group by index_id, unit_id, year
)

select * from dimensions
union all
select * from totals

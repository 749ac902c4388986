-- One row per thing the analyst should look at after a build, with a message naming it: the build
-- succeeded, but something was not used as given. cipanel prints these messages after the build
-- (cipanel.build_checks); the rows behind each are in the audit model named in the message.
-- Rejected rows are not repeated here: audit_rejected_rows lists each with its reason, and the
-- build summary counts them by kind.
with constant_indicators as (
    select
        'constant_indicator' as warning_kind,
        index_code,
        indicator_code as subject,
        'indicator ' || indicator_code || ' of index ' || index_code || ' is constant'
        || case
            when count({{ cipanel.weight_group_year('weight_group') }}) = 0 then ' over the pooled window'
            else
                ' in ' || cast(count(*) as {{ cipanel.text_type() }}) || ' weighting year(s) from '
                || cast(min({{ cipanel.weight_group_year('weight_group') }}) as {{ cipanel.text_type() }})
        end
        || ': it carries no information and gets entropy weight 0' as message
    from {{ ref('int_index_entropy') }}
    where is_constant
    group by index_code, indicator_code
),

-- (an index window outside the panel's years is refused before dbt starts, and a window inside
-- them where a component has no data fails assert_index_inputs_complete naming the index,
-- indicator and years: neither is a warning)

accepted as (
    select distinct indicator_code
    from {{ ref('int_indicator_values_validated') }}
    where rejection_reason is null and value is not null
),

standalone as (
    select
        indicator_code,
        min(cast(label_zh as {{ cipanel.text_type() }})) as label_zh
    from {{ ref('stg_catalog__indicators') }}
    group by indicator_code
    having not bool_or(is_index_component)
),

empty_standalone_variables as (
    select
        'standalone_variable_without_values' as warning_kind,
        cast(null as {{ cipanel.text_type() }}) as index_code,
        standalone.indicator_code as subject,
        'standalone variable ' || standalone.indicator_code || ' (' || standalone.label_zh
        || ') is in the catalog but has no value in any input file: its panel column is empty' as message
    from standalone
    left join accepted on standalone.indicator_code = accepted.indicator_code
    where accepted.indicator_code is null
),

-- cells the landing saw but could not read (unread columns, second value columns); footnote rows
-- are expected and only listed in audit_rejected_rows
cells_not_read as (
    select
        'cells_not_read' as warning_kind,
        cast(null as {{ cipanel.text_type() }}) as index_code,
        source_file as subject,
        source_file
        || case when source_sheet <> '' then ', sheet ' || source_sheet else '' end
        || ': ' || cast(count(*) as {{ cipanel.text_type() }}) || ' cell(s) not read ('
        || case
            when min(source_row) = max(source_row) then 'row ' || cast(min(source_row) as {{ cipanel.text_type() }})
            else
                'rows ' || cast(min(source_row) as {{ cipanel.text_type() }}) || '-'
                || cast(max(source_row) as {{ cipanel.text_type() }})
        end
        || '): ' || landing_issue as message
    from {{ ref('stg_raw__indicator_values') }}
    where landing_issue is not null and landing_issue <> 'footnote row in a yearbook sheet'
    group by source_file, source_sheet, landing_issue
),

derivations_outside_domain as (
    select
        'derivation_outside_domain' as warning_kind,
        cast(null as {{ cipanel.text_type() }}) as index_code,
        variable as subject,
        variable || ': ' || cast(count(*) as {{ cipanel.text_type() }}) || ' unit-year(s) left null, '
        || derivation_status || ' of the rule ' || domain_rule || ' (first: unit ' || min(unit_code)
        || '); see audit.audit_derivation_log' as message
    from {{ ref('audit_derivation_log') }}
    where derivation_status like 'outside_domain%'
    group by variable, derivation_status, domain_rule
)

select * from constant_indicators
union all
select * from empty_standalone_variables
union all
select * from cells_not_read
union all
select * from derivations_outside_domain

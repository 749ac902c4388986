
    
      
    

    create  table
      "demo"."marts"."fct_index_scores__dbt_tmp"
  
  (
    index_code TEXT,
    method TEXT,
    dimension_code TEXT,
    unit_code TEXT,
    year integer,
    score double
    
    )
 ;
    
    
    insert into "demo"."marts"."fct_index_scores__dbt_tmp" 
  (
    
      
      
      index_code ,
    
      
      
      method ,
    
      
      
      dimension_code ,
    
      
      
      unit_code ,
    
      
      
      year ,
    
      
      
      score 
    
  )
 (
      
    select index_code, method, dimension_code, unit_code, year, score
    from (
        -- Index and dimension scores, long: one row per (index, method, dimension, unit, year).
-- dimension_code '_all' is the index itself; method 'entropy' is the default index.
-- The weighted-sum scores come wide (one column per method) and are unpivoted here; the other
-- scoring models, already long, come from cipanel.long_index_score_models(): the pooled-PCA
-- Python model is not available on Spark (macros/cross_engine.sql).
with all_scores as (
        select
            index_code,
            'entropy' as method,
            dimension_code,
            unit_code,
            year,
            score_entropy as score
        from "demo"."intermediate"."int_index_scores_weighted"
            union all
        select
            index_code,
            'equal' as method,
            dimension_code,
            unit_code,
            year,
            score_equal as score
        from "demo"."intermediate"."int_index_scores_weighted"
            union all
        select
            index_code,
            'critic' as method,
            dimension_code,
            unit_code,
            year,
            score_critic as score
        from "demo"."intermediate"."int_index_scores_weighted"
        union all
        select
            index_code,
            method,
            dimension_code,
            unit_code,
            year,
            score
        from "demo"."intermediate"."int_index_scores_topsis"
        union all
        select
            index_code,
            method,
            dimension_code,
            unit_code,
            year,
            score
        from "demo"."intermediate"."int_index_scores_pca"
)

select
    cast(index_code as varchar) as index_code,
    cast(method as varchar) as method,
    cast(dimension_code as varchar) as dimension_code,
    cast(unit_code as varchar) as unit_code,
    cast(year as integer) as year,
    cast(score as double) as score
from all_scores
    ) as model_subq
    );
  

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        method as value_field,
        count(*) as n_records

    from "demo"."marts"."fct_index_scores"
    group by method

)

select *
from all_values
where value_field not in (
    'entropy','equal','critic','topsis','pca'
)



  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    short_name_zh as unique_field,
    count(*) as n_records

from "w"."staging"."stg_reference__units"
where short_name_zh is not null
group by short_name_zh
having count(*) > 1



  
  
      
    ) dbt_internal_test
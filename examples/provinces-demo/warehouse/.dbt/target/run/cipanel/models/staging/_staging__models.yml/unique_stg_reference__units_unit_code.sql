
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    unit_code as unique_field,
    count(*) as n_records

from "w"."staging"."stg_reference__units"
where unit_code is not null
group by unit_code
having count(*) > 1



  
  
      
    ) dbt_internal_test
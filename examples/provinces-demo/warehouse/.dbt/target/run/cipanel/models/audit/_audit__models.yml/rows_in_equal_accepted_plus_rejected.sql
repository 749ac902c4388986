
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select *
from "demo"."audit"."audit_row_accounting"
where not (rows_landed = rows_accepted + rows_rejected)

  
  
      
    ) dbt_internal_test

    
    

select
    index_code as unique_field,
    count(*) as n_records

from "demo"."staging"."stg_catalog__indices"
where index_code is not null
group by index_code
having count(*) > 1




    
    

select
    unit_code as unique_field,
    count(*) as n_records

from "w"."staging"."stg_reference__units"
where unit_code is not null
group by unit_code
having count(*) > 1



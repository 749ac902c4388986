
    
    

select
    unit_code as unique_field,
    count(*) as n_records

from "demo"."marts"."dim_units"
where unit_code is not null
group by unit_code
having count(*) > 1



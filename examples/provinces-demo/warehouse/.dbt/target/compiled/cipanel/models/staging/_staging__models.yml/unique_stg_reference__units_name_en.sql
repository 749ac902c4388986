
    
    

select
    name_en as unique_field,
    count(*) as n_records

from "w"."staging"."stg_reference__units"
where name_en is not null
group by name_en
having count(*) > 1



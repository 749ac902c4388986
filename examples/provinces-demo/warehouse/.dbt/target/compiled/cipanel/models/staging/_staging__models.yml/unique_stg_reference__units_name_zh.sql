
    
    

select
    name_zh as unique_field,
    count(*) as n_records

from "w"."staging"."stg_reference__units"
where name_zh is not null
group by name_zh
having count(*) > 1



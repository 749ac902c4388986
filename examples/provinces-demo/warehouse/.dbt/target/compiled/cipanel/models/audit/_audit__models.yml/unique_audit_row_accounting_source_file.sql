
    
    

select
    source_file as unique_field,
    count(*) as n_records

from "demo"."audit"."audit_row_accounting"
where source_file is not null
group by source_file
having count(*) > 1



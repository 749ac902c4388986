
    
    



select label_en
from "w"."staging"."stg_catalog__indicators"
where label_en is null



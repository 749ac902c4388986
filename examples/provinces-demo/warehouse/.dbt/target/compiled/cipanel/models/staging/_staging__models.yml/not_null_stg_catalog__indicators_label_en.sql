
    
    



select label_en
from "new"."staging"."stg_catalog__indicators"
where label_en is null



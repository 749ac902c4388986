
    
    



select label_zh
from "w"."staging"."stg_catalog__indicators"
where label_zh is null



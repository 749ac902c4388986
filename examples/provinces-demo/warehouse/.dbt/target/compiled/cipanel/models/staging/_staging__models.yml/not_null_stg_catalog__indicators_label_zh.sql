
    
    



select label_zh
from "new"."staging"."stg_catalog__indicators"
where label_zh is null




    
    



select source
from "w"."staging"."stg_catalog__indicators"
where source is null



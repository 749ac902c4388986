
    
    



select source
from "new"."staging"."stg_catalog__indicators"
where source is null



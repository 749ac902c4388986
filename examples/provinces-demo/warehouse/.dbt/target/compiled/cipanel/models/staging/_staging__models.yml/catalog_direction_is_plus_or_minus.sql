
select *
from "w"."staging"."stg_catalog__indicators"
where not (has_valid_direction)


select *
from "w"."staging"."stg_catalog__indicators"
where not (not is_index_component or dimension_code is not null)

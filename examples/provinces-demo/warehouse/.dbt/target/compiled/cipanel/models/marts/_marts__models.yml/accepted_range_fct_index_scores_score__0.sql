
select *
from "demo"."marts"."fct_index_scores"
where
    score is not null
    and (
        false
         or score < 0 - 0
        
    )


select *
from "demo"."intermediate"."int_index_scores_topsis"
where
    score is not null
    and (
        false
         or score < 0 - 1e-12
         or score > 1 + 1e-12
    )

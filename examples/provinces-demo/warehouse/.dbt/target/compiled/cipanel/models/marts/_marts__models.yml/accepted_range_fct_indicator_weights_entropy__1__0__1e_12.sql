
select *
from "demo"."marts"."fct_indicator_weights"
where
    entropy is not null
    and (
        false
         or entropy < 0 - 1e-12
         or entropy > 1 + 1e-12
    )


select *
from "demo"."intermediate"."int_indicators_normalised"
where
    z is not null
    and (
        false
         or z < 0 - 1e-12
         or z > 1 + 1e-12
    )

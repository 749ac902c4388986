
    
      
    

    create  table
      "demo"."marts"."dim_units__dbt_tmp"
  
  (
    unit_code TEXT,
    name_zh TEXT,
    short_name_zh TEXT,
    name_en TEXT,
    unit_type TEXT,
    is_municipality boolean,
    in_sample boolean
    
    )
 ;
    
    
    insert into "demo"."marts"."dim_units__dbt_tmp" 
  (
    
      
      
      unit_code ,
    
      
      
      name_zh ,
    
      
      
      short_name_zh ,
    
      
      
      name_en ,
    
      
      
      unit_type ,
    
      
      
      is_municipality ,
    
      
      
      in_sample 
    
  )
 (
      
    select unit_code, name_zh, short_name_zh, name_en, unit_type, is_municipality, in_sample
    from (
        select
    cast(unit_code as varchar) as unit_code,
    cast(name_zh as varchar) as name_zh,
    cast(short_name_zh as varchar) as short_name_zh,
    cast(name_en as varchar) as name_en,
    cast(unit_type as varchar) as unit_type,
    cast(is_municipality as boolean) as is_municipality,
    cast(in_sample as boolean) as in_sample
from "demo"."staging"."stg_reference__units"
    ) as model_subq
    );
  
"""`cipanel init DIR`: a new project folder with commented settings, empty catalogs and a small
example study, so a user's study never needs a file of the tool edited."""

from __future__ import annotations

from pathlib import Path

from cipanel.project import PROJECT_FILE, ProjectError

CONFIG = """\
# cipanel project settings. Paths are relative to this folder.
name: {name}

# The panel years: [first, last], e.g. [2013, 2022], or "from the data" (the first and last year of
# the values of your catalog's indicators). Values outside the window are rejected and listed in the
# build summary; an index window (catalog/index_catalog.csv) must lie inside it.
years: from the data

# provinces: cipanel's 31 provinces by GB/T 2260 code (Tibet 540000 out of the sample);
# custom: your own units in reference/units.csv (firms, cities, countries; names are optional).
units: {units}

# Units taken into or out of the sample (index and panel) without editing the reference data,
# e.g. include: [540000] to take Tibet in, exclude: [110000, 120000, 310000, 500000] for no
# municipalities. For one study's regressions only, use its panel.units (include / exclude /
# exclude_flags) instead: the indices keep this sample, and a unit outside it enters the study
# with its standalone variables (it has no index score).
sample:
  include: []
  exclude: []

# Which gaps (a missing year between two observed years of a unit) are filled by linear
# interpolation: components (index components only; the default: regression variables keep their
# gaps), all (components and standalone variables), none. The catalog column `interpolate`
# (true/false) overrides this for one indicator. Never extrapolated; every filled cell is logged.
interpolation: components

# Labels of tables and the report: zh or en.
language: zh

data: data                          # your value files (.csv, .parquet, .xlsx)
output: output                      # tables, figures, report.html
warehouse: warehouse/{name}.duckdb  # the DuckDB file the build writes
"""

README = """\
# {name}

A cipanel project. Steps:

1. Put your value files in `data/`: long CSV/Parquet (`unit_code, year, indicator_code, value`) or
   yearbook-wide Excel (one sheet per indicator, units as rows, years as columns).
2. Describe every variable in `catalog/indicator_catalog.csv` (an index component has an
   `index_code`, `dimension_code` and `direction` `+`/`-`; a regression variable leaves them empty),
   the indices in `catalog/index_catalog.csv` and their dimensions in `catalog/dimension_catalog.csv`
   (leave both with only their header for a panel without a composite index). Variables computed
   from indicators (logs, weighted sums, lags) are rows of `catalog/derived_variable_catalog.csv`:
   an SQL expression over indicator codes, e.g. `ln(gdp_pc)` with domain `gdp_pc > 0`; its
   commented example row shows the columns.{custom}
3. Edit the example study in `studies/` (variables, tables).
4. Run `cipanel run` in this folder (or `cipanel run --project {name}`): it checks the files,
   builds `warehouse/`, prints a build summary, runs the studies and writes `output/report.html`.
   `cipanel build` and `cipanel study NAME` do the parts.
"""

CUSTOM_NOTE = """
   Your units are in `reference/units.csv` (`unit_code` required; names optional and unique) and
   their region groupings, if any, in `reference/unit_regions.csv`."""

INDICATOR_CATALOG = """\
indicator_code,index_code,dimension_code,direction,unit_of_measure,label_zh,label_en,source,rationale,first_year,last_year,scope,interpolate
"""
INDEX_CATALOG = "index_code,label_zh,label_en,study,weighting,shift,score_basis,scale,window_start,window_end\n"
DIMENSION_CATALOG = "index_code,dimension_code,label_zh,label_en\n"
# rows starting with # are comments; the example becomes a variable once the # is removed
DERIVED_VARIABLE_CATALOG = """\
variable_code,expression,domain,label_zh,label_en,unit_of_measure,rationale
# one row per variable computed from the indicators of catalog/indicator_catalog.csv (no SQL file to edit)
# expression: SQL over indicator codes (ln; exp; power; fsum(a; b) ...; lag(x) over (partition by unit_code order by year))
# domain: optional condition where the expression is defined; other cells stay empty and are logged
#ln_gdp_pc,ln(gdp_pc),gdp_pc > 0,人均地区生产总值（对数）,GDP per capita (log),ln(元),Log of GDP per capita
"""
UNITS = "unit_code,name_zh,short_name_zh,name_en,unit_type,is_municipality,in_sample\n"
REGIONS = "scheme,unit_code,region_code,region_zh,region_en\n"

STUDY = """\
# An example study: two-way fixed effects (unit and year) with unit-clustered standard errors,
# as Stata's `xtreg y x i.year, fe vce(cluster id)`. Replace y and x by variable codes of
# catalog/indicator_catalog.csv (or index codes), then `cipanel run` or `cipanel study example`.
study: example
title: {zh: 示例研究, en: Example study}
panel:
  relation: marts.fct_panel
  entity: unit_code
  time: year
model:
  outcome: y
  treatment: x
  controls: []
  effects: twoway
  cov: clustered
tables:
  - id: t1
    kind: descriptive
    title: {zh: 描述性统计, en: Descriptive statistics}
    variables: [y, x]
  - id: t2
    title: {zh: 基准回归, en: Baseline regression}
    columns:
      - {}
"""


def init_project(folder: Path | str, units: str = "provinces", force: bool = False) -> Path:
    folder = Path(folder)
    if (folder / PROJECT_FILE).exists() and not force:
        raise ProjectError(f"{folder / PROJECT_FILE} already exists: this folder is a project already")
    if units not in ("provinces", "custom"):
        raise ProjectError(f"--units must be provinces or custom, not {units!r}")
    name = folder.resolve().name
    for sub in ("data", "catalog", "studies", *(["reference"] if units == "custom" else [])):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    files = {
        PROJECT_FILE: CONFIG.format(name=name, units=units),
        "README.md": README.format(name=name, custom=CUSTOM_NOTE if units == "custom" else ""),
        "catalog/indicator_catalog.csv": INDICATOR_CATALOG,
        "catalog/index_catalog.csv": INDEX_CATALOG,
        "catalog/dimension_catalog.csv": DIMENSION_CATALOG,
        "catalog/derived_variable_catalog.csv": DERIVED_VARIABLE_CATALOG,
        "studies/example.yml": STUDY,
    }
    if units == "custom":
        files["reference/units.csv"] = UNITS
        files["reference/unit_regions.csv"] = REGIONS
    for rel, text in files.items():
        path = folder / rel
        if force or not path.exists():
            path.write_text(text, encoding="utf-8")
    return folder

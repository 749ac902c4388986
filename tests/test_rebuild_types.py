"""Rebuilding into the same warehouse after a column of the project's files changes type: catalog
and reference columns that were integer-looking become text and back, values that were whole
numbers become decimals. Each build must succeed and hold the new values (the trap of the
issue: types of the previous build stuck until the warehouse file was deleted, "Could not
convert string 'unused' to 'INTEGER'"). A SYNTHETIC plain panel from `cipanel init --units custom`,
three builds into one warehouse file."""

from __future__ import annotations

import pytest
from test_user_projects import query, run_cli

UNITS = [str(1001 + i) for i in range(6)]
YEARS = range(2010, 2014)
CATALOG_HEADER = (
    "indicator_code,index_code,dimension_code,direction,unit_of_measure,label_zh,label_en,source,"
    "rationale,first_year,last_year,scope,interpolate\n"
)


def write_project(folder, textual: bool) -> None:
    """`textual`: text in the columns the other variant fills with integer-looking strings."""
    unit_of_measure, rationale = ("人", "unused") if textual else ("1", "2")
    (folder / "catalog" / "indicator_catalog.csv").write_text(
        CATALOG_HEADER
        + f"yv,,,,{unit_of_measure},,,SYNTHETIC,{rationale},,,,\n"
        + f"xv,,,,{unit_of_measure},,,SYNTHETIC,{rationale},,,,\n",
        encoding="utf-8",
    )
    names = [f"企业{i}" if textual else str(i) for i in range(len(UNITS))]
    (folder / "reference" / "units.csv").write_text(
        "unit_code,name_zh,short_name_zh,name_en,unit_type,is_municipality,in_sample\n"
        + "".join(f"{u},{n},,,firm,,\n" for u, n in zip(UNITS, names)),
        encoding="utf-8",
    )
    rows = ["unit_code,year,indicator_code,value"]
    for i, unit in enumerate(UNITS):
        for year in YEARS:
            x = (i + year) / 4 if textual else i + year  # decimals, or whole numbers
            rows += [f"{unit},{year},xv,{x}", f"{unit},{year},yv,{2 * x + i % 2}"]
    (folder / "data" / "values_synthetic.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    folder = tmp_path_factory.mktemp("retype") / "retype-study"
    code, text = run_cli(["init", str(folder), "--units", "custom"])
    assert code == 0, text
    return folder


def build(folder, textual: bool):
    write_project(folder, textual)
    code, text = run_cli(["build", "--project", str(folder)])
    assert code == 0, text
    return folder / "warehouse" / "retype-study.duckdb"


def check(warehouse, textual: bool) -> None:
    catalog = query(warehouse, "select indicator_code, unit_of_measure, rationale from marts.dim_indicators order by 1")
    assert list(catalog.unit_of_measure) == (["人", "人"] if textual else ["1", "1"])
    assert list(catalog.rationale) == (["unused", "unused"] if textual else ["2", "2"])
    names = query(warehouse, "select name_zh from marts.dim_units order by unit_code").name_zh.tolist()
    assert names == ([f"企业{i}" for i in range(len(UNITS))] if textual else [str(i) for i in range(len(UNITS))])
    panel = query(warehouse, "select unit_code, year, xv from marts.fct_panel order by unit_code, year")
    expected = [(i + y) / 4 if textual else float(i + y) for i in range(len(UNITS)) for y in YEARS]
    assert panel.xv.tolist() == expected


def test_a_rebuild_takes_the_new_column_types_both_ways(project):
    warehouse = build(project, textual=False)
    check(warehouse, textual=False)
    build(project, textual=True)  # integer-looking -> text, whole numbers -> decimals
    check(warehouse, textual=True)
    build(project, textual=False)  # and back
    check(warehouse, textual=False)

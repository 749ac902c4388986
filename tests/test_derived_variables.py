"""Derived panel variables declared as data (catalog/derived_variable_catalog.csv): the checks
before dbt starts (file, row, column in every message), the SQL they compile to, the demo's four
derivations against the values they had as hand-written SQL and an independent NumPy computation,
and a user's new rows becoming fct_panel columns without SQL (one dbt build). Data: the demo
project's SYNTHETIC panel."""

from __future__ import annotations

import json
import math

import duckdb
import numpy as np
import pandas as pd
import pytest

from cipanel.build import run_dbt
from cipanel.derived_variables import DERIVED_FUNCTIONS, _compile
from cipanel.project import ProjectError, load_project, project_tables
from cipanel.study.expressions import validate_expression
from warehouse_build import DEMO, DEMO_DATA, ROOT, build, copy_project
from warehouse_build import query as q

DEMO_DERIVED = pd.read_csv(DEMO / "catalog/derived_variable_catalog.csv", dtype=str, keep_default_na=False)
# fct_panel's derived columns as the hand-written SQL of int_panel_derivations computed them
# (before the catalog), each value written with repr: the catalog must give them bit for bit
SNAPSHOT = ROOT / "tests/snapshots/derived_variables_demo_synthetic.csv"
FILE = "catalog/derived_variable_catalog.csv"


def derived_table(tmp_path, rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(DEMO_DERIVED.columns), dtype=object).fillna("")
    project = copy_project(tmp_path / "p", {"derived_variable_catalog": frame})
    return project_tables(load_project(project)).tables["derived_variable_catalog"]


def problems(tmp_path, rows: list[dict]) -> str:
    with pytest.raises(ProjectError) as caught:
        derived_table(tmp_path, rows)
    return str(caught.value)


# ---- the checks before dbt


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            {"variable_code": "x1", "expression": "read_csv('/etc/passwd')"},
            "row 2, column expression: x1: \"read_csv('/etc/passwd')\" is not a valid derived-variable expression: "
            "function read_csv() is not allowed",
        ),
        ({"variable_code": "x1", "expression": "gdp_pc; drop table t"}, "row 2, column expression: x1:"),
        ({"variable_code": "x1", "expression": "(select max(gdp_pc) from marts.fct_panel)"}, "a query or subquery"),
        (
            {"variable_code": "x1", "expression": "ln(gdp_pcc)"},
            "row 2, column expression: x1: 'gdp_pcc' is not an indicator of catalog/indicator_catalog.csv or a derived "
            "variable of this file (did you mean gdp_pc",
        ),
        ({"variable_code": "x1", "expression": "ln(gdp_pc)", "domain": "gdpp > 0"}, "row 2, column domain: x1: 'gdpp'"),
        (
            {"variable_code": "x1", "expression": "lag(gdp_pc) over (order by year)"},
            "row 2, column expression: x1: 'lag(gdp_pc) over (order by year)': a window must be OVER (PARTITION BY "
            "unit_code) or OVER (PARTITION BY unit_code ORDER BY year)",
        ),
        (
            {"variable_code": "x1", "expression": "lag(gdp_pc) over (partition by unit_code order by year desc)"},
            "a window must be",
        ),
        ({"variable_code": "x1", "expression": "lag(gdp_pc)"}, "lag() needs a window"),
        ({"variable_code": "x1", "expression": "upper(unit_code)"}, "row 2, column expression: x1: gives VARCHAR"),
        ({"variable_code": "x1", "expression": "gdp_pc", "domain": "gdp_pc + 1"}, "column domain: x1: gives DOUBLE"),
        ({"variable_code": "Bad", "expression": "gdp_pc"}, "row 2, column variable_code: 'Bad' must be lower-case"),
        ({"variable_code": "gdp_pc", "expression": "gdp_pc"}, "gdp_pc is already a panel column"),
        ({"variable_code": "res", "expression": "gdp_pc"}, "res is already a panel column"),
        ({"variable_code": "x1", "expression": ""}, "row 2, column expression: x1: empty"),
    ],
)
def test_an_expression_outside_the_rules_is_refused_naming_file_row_and_column(tmp_path, row, expected):
    message = problems(tmp_path, [row])
    assert f"{FILE}, " in message and expected in message


def test_cycles_and_duplicates_are_refused(tmp_path):
    message = problems(
        tmp_path,
        [
            {"variable_code": "a1", "expression": "b1 + 1"},
            {"variable_code": "b1", "expression": "c1 * 2"},
            {"variable_code": "c1", "expression": "a1 - gdp_pc"},
        ],
    )
    assert f"{FILE}, row 2, column expression: derived variables use each other in a cycle: a1 -> b1 -> c1 -> a1" in (
        message
    )
    message = problems(
        tmp_path / "dup",
        [{"variable_code": "a1", "expression": "gdp_pc"}, {"variable_code": "a1", "expression": "gdp_pc * 2"}],
    )
    assert f"{FILE}, row 2, column variable_code: a1 appears in rows 2, 3: keep one row" in message


def test_a_variable_comes_after_the_ones_it_uses_and_comment_rows_keep_line_numbers(tmp_path):
    table = derived_table(
        tmp_path,
        [
            {"variable_code": "# a comment row"},
            {
                "variable_code": "d_ln_gdp",
                "expression": "ln_gdp - lag(ln_gdp) over (partition by unit_code order by year)",
            },
            {"variable_code": "ln_gdp", "expression": "ln(gdp_pc)", "domain": "gdp_pc > 0"},
        ],
    )
    assert list(table.variable_code) == ["ln_gdp", "d_ln_gdp"] and list(table.computing_order) == [1, 2]
    assert list(table.inputs) == ["gdp_pc", "ln_gdp"] and list(table.uses_window) == [False, True]
    message = problems(tmp_path / "c", [{"variable_code": "# note"}, {"variable_code": "x1", "expression": "nope"}])
    # the comment row keeps its line: x1 is on row 3
    assert f"{FILE}, row 3, column expression: x1: 'nope' is not an indicator of" in message


def test_fsum_compiles_to_a_compensated_sum_null_if_any_term_is_null():
    tree = validate_expression("fsum(1 * a, 2 * b)", None, "k", DERIVED_FUNCTIONS)
    duck = _compile(tree, "duckdb")
    assert (
        duck
        == "CASE WHEN 1 * a IS NULL OR 2 * b IS NULL THEN NULL ELSE LIST_AGGREGATE(LIST_VALUE(1 * a, 2 * b), 'fsum') END"
    )
    assert _compile(tree, "spark") == "(1 * a + 2 * b)"
    con = duckdb.connect()
    values = [0.1, 0.7, 0.2]
    got = con.execute(f"select {duck} from (values ({values[0]}, {values[1]})) as t(a, b)").fetchone()[0]
    assert got == math.fsum([values[0], 2 * values[1]])
    assert con.execute(f"select {duck} from (values (1.0, null)) as t(a, b)").fetchone()[0] is None


def test_the_init_template_is_an_empty_catalog_with_a_commented_example(tmp_path):
    from cipanel.init_project import init_project

    folder = init_project(tmp_path / "new")
    text = (folder / FILE).read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(DEMO_DERIVED.columns) and "#ln_gdp_pc,ln(gdp_pc),gdp_pc > 0" in text
    catalog = pd.read_csv(folder / FILE, dtype=str, keep_default_na=False)
    assert catalog.variable_code.str.startswith("#").all()  # every row a comment: no derived variable


# ---- the demo's derivations in the warehouse


def test_the_demo_derivations_are_the_values_the_sql_gave_bit_for_bit(demo_warehouse):
    panel = q(demo_warehouse, "select * from marts.fct_panel order by unit_code, year")
    before = pd.read_csv(SNAPSHOT, dtype={"unit_code": str})
    assert list(before[["unit_code", "year"]].itertuples(index=False)) == list(
        panel[["unit_code", "year"]].itertuples(index=False)
    )
    for column in ("iv_shift_share", "isu", "ln_fintech", "ln_gdp_pc"):
        assert panel[column].tolist() == before[column].tolist(), column
    # and against an independent computation: isu is the correctly rounded sum (math.fsum)
    assert panel.isu.tolist() == [
        math.fsum([r.va_share_1, 2 * r.va_share_2, 3 * r.va_share_3]) for r in panel.itertuples()
    ]
    grid = q(demo_warehouse, "select * from intermediate.int_indicator_values_interpolated")
    base = grid[grid.indicator_code == "posts_telecom_1984"].set_index("unit_code").value
    users = grid[grid.indicator_code == "internet_users_national"].set_index("year").value
    assert panel.iv_shift_share.tolist() == (panel.unit_code.map(base) * (panel.year - 1).map(users)).tolist()
    np.testing.assert_allclose(panel.ln_gdp_pc, np.log(panel.gdp_pc), rtol=1e-15)
    np.testing.assert_allclose(panel.ln_fintech, np.log1p(panel.fintech_firms), rtol=1e-15)
    derivations = q(demo_warehouse, "select * from intermediate.int_panel_derivations")
    assert len(derivations) == 4 * 300 and (derivations.derivation_status == "computed").all()


# ---- a user's new rows (one dbt build)


@pytest.fixture(scope="module")
def user_rows(tmp_path_factory):
    extra = pd.DataFrame(
        [
            # before ln_gdp_pc in the file: the model computes it after
            {
                "variable_code": "d_ln_gdp_pc",
                "expression": "ln_gdp_pc - lag(ln_gdp_pc) over (partition by unit_code order by year)",
                "label_zh": "人均GDP增长（对数差分）",
                "label_en": "GDP per capita growth (log difference)",
            },
            {
                "variable_code": "gdp_pc_k",
                "expression": "gdp_pc / 1000",
                "label_zh": "人均地区生产总值（千元）",
                "label_en": "GDP per capita (thousand yuan)",
                "unit_of_measure": "千元",
            },
            {"variable_code": "ln_zero", "expression": "ln(gdp_pc - gdp_pc)"},  # ln(0) = -inf: never carried
            {
                "variable_code": "fintech_per_gdp",
                "expression": "fintech_firms / gdp_pc",
                "domain": "gdp_pc > 1e9",  # no province: every cell outside the domain, logged
            },
        ],
        columns=DEMO_DERIVED.columns,
        dtype=object,
    ).fillna("")
    tmp = tmp_path_factory.mktemp("derived_rows")
    project = copy_project(tmp / "p", {"derived_variable_catalog": pd.concat([extra, DEMO_DERIVED])})
    warehouse = tmp / "w.duckdb"
    build(project, warehouse, DEMO_DATA)
    return warehouse, project


def test_a_new_catalog_row_is_a_new_fct_panel_column(user_rows):
    panel = q(user_rows[0], "select * from marts.fct_panel order by unit_code, year")
    assert {"d_ln_gdp_pc", "gdp_pc_k", "iv_shift_share", "isu"} <= set(panel.columns)
    assert panel.gdp_pc_k.tolist() == (panel.gdp_pc / 1000).tolist()
    expected = panel.ln_gdp_pc - panel.groupby("unit_code").ln_gdp_pc.shift(1)
    assert panel.d_ln_gdp_pc.isna().tolist() == expected.isna().tolist()
    assert panel.d_ln_gdp_pc.dropna().tolist() == expected.dropna().tolist()
    assert panel[panel.year == 2014].d_ln_gdp_pc.isna().all()  # 2013 is not in gdp_pc's window
    # no computed cell: no column, and every cell is in the derivation log with why
    assert "fintech_per_gdp" not in panel.columns and "ln_zero" not in panel.columns


def test_null_derived_cells_are_logged_with_the_rule_and_why(user_rows):
    log = q(user_rows[0], "select * from audit.audit_derivation_log")
    lag = log[log.variable == "d_ln_gdp_pc"]
    assert set(lag.year) == {2014} and len(lag) == 30
    assert set(lag.derivation_status) == {"input_missing: ln_gdp_pc in this or another year of the unit"}
    infinite = log[log.variable == "ln_zero"]
    assert len(infinite) == 300 and set(infinite.derivation_status) == {"outside_domain: not a finite number"}
    outside = log[log.variable == "fintech_per_gdp"]
    assert len(outside) == 300
    assert set(outside.derivation_status) == {"outside_domain: gdp_pc > 1e9 is false"}
    assert set(outside.domain_rule) == {"fintech_firms / gdp_pc where gdp_pc > 1e9"}
    assert set(outside.input_indicator) == {"fintech_firms, gdp_pc"}


def test_panel_columns_carry_the_catalog_labels_and_units_into_dbt_docs(user_rows, tmp_path):
    warehouse, project = user_rows
    run_dbt(["docs", "generate"], warehouse=warehouse, input_dir=DEMO_DATA, project=project, scratch=tmp_path)
    catalog = json.loads((tmp_path / "target/catalog.json").read_text(encoding="utf-8"))
    columns = {k.lower(): v.get("comment") for k, v in catalog["nodes"]["model.cipanel.fct_panel"]["columns"].items()}
    assert columns["gdp_pc"] == "人均地区生产总值 / GDP per capita (元); indicator"
    assert (
        columns["gdp_pc_k"]
        == "人均地区生产总值（千元） / GDP per capita (thousand yuan) (千元); derived: gdp_pc / 1000"
    )
    assert (
        columns["ln_gdp_pc"]
        == "人均地区生产总值（对数） / GDP per capita (log) (ln(元)); derived: ln(gdp_pc) where gdp_pc > 0"
    )
    assert columns["res"].endswith("; index score (entropy weights)")
    assert columns["res_resist"].endswith("; dimension score of index res")
    # every indicator column of the catalog is documented (a base-year input such as
    # posts_telecom_1984 lies outside the panel years and has no column)
    indicators = set(pd.read_csv(DEMO / "catalog/indicator_catalog.csv", dtype=str).indicator_code)
    documented = [c for c in indicators if c in columns]
    assert len(documented) >= len(indicators) - 2
    assert all(columns[c] and columns[c].endswith("; indicator") for c in documented)

"""Bad input through the real build: quarantined with a reason naming file and row, or a failing
build whose message names the problem. Also: a new indicator is a catalog row plus its values."""

from __future__ import annotations

import shutil

import duckdb
import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

import entropy_reference as ref
from cipanel.project import ProjectError
from synthetic_cases import FIRST_YEAR, write_case
from warehouse_build import DEMO, DEMO_DATA, ROOT, DbtFailed, build, copy_project

CATALOG = DEMO / "catalog" / "indicator_catalog.csv"
BAD_ROWS = [  # (unit, year, indicator, value, expected reason prefix)
    ("110000", "2016", "gdp_pc", "1", "duplicate unit-year-indicator (2 rows)"),
    ("990000", "2016", "gdp_pc", "1", "unknown unit 990000"),
    ("110000", "2016", "gdp_per_cap", "1", "unknown indicator gdp_per_cap"),
    ("120000", "2016", "gdp_pc", "1,234", "non-numeric value 1,234"),
    ("120000", "2030", "gdp_pc", "1", "year 2030 outside the window 2014-2023 of gdp_pc"),
    ("120000", "20x5", "gdp_pc", "1", "invalid year 20x5"),
    (
        "540000",
        "2016",
        "gdp_pc",
        "1",
        "unit 540000 is not in the sample of the indices: gdp_pc is a component of index res",
    ),
    ("000000", "2016", "gdp_pc", "1", "national total given for unit-level indicator gdp_pc"),
    ("120000", "2017", "gdp_growth", "inf", "non-finite value inf"),
]


def q(warehouse, sql):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


def catalog_with(*rows: dict) -> pd.DataFrame:
    catalog = pd.read_csv(CATALOG, dtype=str, keep_default_na=False)
    return pd.concat([catalog, pd.DataFrame(list(rows))], ignore_index=True).fillna("")


def row(code, index, dimension, direction):
    return {
        "indicator_code": code,
        "index_code": index,
        "dimension_code": dimension,
        "direction": direction,
        "unit_of_measure": "-",
        "label_zh": code,
        "label_en": code,
        "source": "test",
        "rationale": "test",
        "first_year": "",
        "last_year": "",
        "scope": "unit",
    }


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bad")
    inputs = tmp / "inputs"
    shutil.copytree(DEMO_DATA, inputs)
    (inputs / "README.md").unlink(missing_ok=True)
    pd.DataFrame([r[:4] for r in BAD_ROWS], columns=["unit_code", "year", "indicator_code", "value"]).to_csv(
        inputs / "bad_rows.csv", index=False
    )
    units = pd.read_csv(ROOT / "seeds" / "reference" / "ref_units.csv", dtype=str)
    in_sample = units[units.in_sample == "true"].unit_code
    rng = np.random.default_rng(7)
    extra = [(u, y, "new_ind", rng.uniform(1, 100)) for u in in_sample for y in range(2014, 2024)]
    extra += [(u, y, "const_ind", 5.0) for u in in_sample for y in range(2014, 2024)]
    pd.DataFrame(extra, columns=["unit_code", "year", "indicator_code", "value"]).to_csv(
        inputs / "extra.csv", index=False
    )
    catalog = catalog_with(
        row("new_ind", "res", "innov", "+"), row("const_ind", "dt", "infra", "+"), row("empty_series", "", "", "")
    )
    project = copy_project(tmp / "project", {"catalog/indicator_catalog": catalog})
    warehouse = tmp / "bad.duckdb"
    build(project, warehouse, inputs)
    return warehouse


def test_each_bad_row_is_quarantined_with_its_reason_file_and_line(bad_build):
    rejected = q(bad_build, "select * from audit.audit_rejected_rows")
    for line, (unit, year, indicator, value, reason) in enumerate(BAD_ROWS, start=2):
        hit = rejected[(rejected.source_file == "bad_rows.csv") & (rejected.source_row == line)]
        assert list(hit.rejection_reason) == [reason], (line, reason)
    # the duplicate also rejects the demo's own copy: neither is picked
    demo_copy = rejected[(rejected.source_file == "indicator_values_synthetic.csv")]
    assert list(demo_copy.rejection_reason) == ["duplicate unit-year-indicator (2 rows)"]
    accounting = q(bad_build, "select * from audit.audit_row_accounting")
    assert (accounting.rows_landed == accounting.rows_accepted + accounting.rows_rejected).all()


def test_the_rejected_duplicate_cell_is_interpolated_and_logged(bad_build):
    log = q(bad_build, "select * from audit.audit_imputation_log where indicator_code = 'gdp_pc'")
    assert list(zip(log.unit_code, log.year, log.value_status)) == [("110000", 2016, "interpolated")]


def test_an_all_missing_series_is_logged_not_dropped(bad_build):
    log = q(bad_build, "select * from audit.audit_imputation_log where indicator_code = 'empty_series'")
    assert len(log) == 300 and set(log.value_status) == {"no_observation"}
    panel = q(bad_build, "select empty_series from marts.fct_panel")
    assert panel.empty_series.isna().all()


def test_a_constant_indicator_gets_weight_zero_and_leaves_the_others_alone(bad_build, demo_warehouse):
    sql = (
        "select indicator_code, weight from marts.fct_indicator_weights where index_code = 'dt' and method = 'entropy'"
    )
    with_const = q(bad_build, sql).set_index("indicator_code").weight
    demo = q(demo_warehouse, sql).set_index("indicator_code").weight
    assert with_const["const_ind"] == 0.0
    np.testing.assert_allclose(with_const.drop("const_ind").loc[demo.index], demo, atol=1e-12, rtol=0)


def test_a_new_indicator_added_by_catalog_row_changes_the_weights_as_expected(bad_build):
    normalised = q(bad_build, "select * from intermediate.int_indicators_normalised where index_code = 'res'")
    wide = normalised.pivot_table(index=["unit_code", "year"], columns="indicator_code", values="value")
    directions = normalised.drop_duplicates("indicator_code").set_index("indicator_code").direction.loc[wide.columns]
    w, _, _ = ref.entropy_weights(wide.to_numpy(), list(directions))
    got = (
        q(
            bad_build,
            "select indicator_code, weight from marts.fct_indicator_weights "
            "where index_code = 'res' and method = 'entropy'",
        )
        .set_index("indicator_code")
        .weight
    )
    assert "new_ind" in got.index and got["new_ind"] > 0
    np.testing.assert_allclose(got.loc[wide.columns], w, atol=1e-12, rtol=0)
    assert "new_ind" in q(bad_build, "select * from marts.fct_panel limit 1").columns


def test_an_invalid_direction_stops_the_build_naming_file_row_and_column(tmp_path):
    """Checked in Python before dbt starts (the dbt test catalog_direction_is_plus_or_minus stays
    as the second line)."""
    catalog = pd.read_csv(CATALOG, dtype=str, keep_default_na=False)
    catalog.loc[catalog.indicator_code == "gdp_growth", "direction"] = "up"
    project = copy_project(tmp_path / "p", {"catalog/indicator_catalog": catalog})
    with pytest.raises(
        ProjectError,
        match=r"catalog/indicator_catalog.csv, row 3, column direction: gdp_growth in "
        r"index res: direction 'up' must be \+ \(higher is better\) or -",
    ):
        build(project, tmp_path / "w.duckdb", DEMO_DATA, ["--select", "+stg_catalog__indicators"])


def test_an_index_component_without_data_fails_the_build_naming_the_test(tmp_path):
    catalog = catalog_with(row("empty_component", "res", "innov", "+"))
    project = copy_project(tmp_path / "p", {"catalog/indicator_catalog": catalog})
    with pytest.raises(DbtFailed, match="assert_index_inputs_complete") as failed:
        build(project, tmp_path / "w.duckdb", DEMO_DATA, ["--select", "+assert_index_inputs_complete"])
    # the message names the index and the indicator and what to change, not only a count
    assert "index_code=res, indicator_code=empty_component, n_missing_cells=270" in str(failed.value)
    assert "remove its row from catalog/indicator_catalog.csv" in str(failed.value)
    assert "audit_rejected_rows" not in str(failed.value)  # nothing was rejected: no misleading hint


def test_a_year_where_no_component_varies_fails_a_per_year_index_naming_the_test(tmp_path):
    """Per-year entropy weights are undefined in a year where every component is constant."""
    n_units, n_years = 4, 3
    x = np.arange(n_units * n_years * 2, dtype=float).reshape(-1, 2)
    x[n_units : 2 * n_units] = 7.0  # the second year: both indicators constant
    case = {"x": x, "directions": ["+", "-"], "weighting": "per_year", "score_basis": "z_shifted", "shift": 0.01}
    project, inputs, _ = write_case(tmp_path, n_units, n_years, [case])
    window = f"{{panel_start_year: {FIRST_YEAR}, panel_end_year: {FIRST_YEAR + n_years - 1}}}"
    with pytest.raises(DbtFailed, match="assert_index_groups_have_information"):
        build(
            project,
            tmp_path / "w.duckdb",
            inputs,
            ["--select", "+assert_index_groups_have_information", "--vars", window],
        )


def test_running_out_of_duckdb_memory_names_the_setting_to_raise(tmp_path, monkeypatch):
    monkeypatch.setenv("CIPANEL_DUCKDB_MEMORY_LIMIT", "2MB")
    with pytest.raises(DbtFailed, match="raise CIPANEL_DUCKDB_MEMORY_LIMIT"):
        build(ROOT, tmp_path / "w.duckdb", DEMO_DATA, ["--select", "+int_indicator_values_interpolated"])


def test_a_workbook_with_merged_header_cells_fails_the_build_with_the_landing_message(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    book = Workbook()
    book.active.title = "gdp_pc"
    book.active.append(["地区", 2015, 2016])
    book.active.append(["北京", 1.0, 2.0])
    book.active.merge_cells("B1:C1")
    book.save(inputs / "merged.xlsx")
    with pytest.raises(DbtFailed, match=r"merged\.xlsx, sheet 'gdp_pc': merged header cells B1:C1"):
        build(ROOT, tmp_path / "w.duckdb", inputs, ["--select", "stg_raw__indicator_values"])


def test_the_build_summary_warns_of_every_kind_of_rejection_with_its_first_example(bad_build):
    """Rejections used to be visible only in audit.audit_rejected_rows (the build said PASS)."""
    from cipanel.build_summary import build_summary

    text = build_summary(bad_build).text()
    assert "bad_rows.csv: 9 read, 0 accepted, 9 rejected" in text
    assert (
        "warning: 1 input rows rejected: year outside the panel or indicator window; first: bad_rows.csv, "
        "row 6, value: year 2030 outside the window 2014-2023 of gdp_pc"
    ) in text
    assert (
        "warning: 1 input rows rejected: unknown unit; first: bad_rows.csv, row 3, value: unknown unit 990000" in text
    )
    assert "warning: 2 input rows rejected: duplicate unit-year-indicator;" in text
    assert "empty_series: 0 interpolated, 0 left empty by policy, 300 not fillable" in text

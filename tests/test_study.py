"""Study runner: spec validation, study A end to end on the demo warehouse, a non-province panel,
two-way FE against pyfixest, and recovery of the demo generator's planted effect."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyfixest as pf
import pytest

from cipanel.demo.generator import PLANTED
from cipanel.estimators.panel import fit_panel
from cipanel.pipeline import default_study_paths
from cipanel.study.runner import run_study
from cipanel.study.spec import SpecError, load_spec
from cipanel.warehouse import read_table


def write_spec(tmp_path, text: str) -> Path:
    path = tmp_path / "spec.yml"
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL = """
study: s
panel: {relation: main.firms, entity: firm, time: year}
model: {outcome: y, treatment: x, controls: [c]}
tables:
  - id: t1
    columns: [{}]
"""


@pytest.mark.parametrize(
    "change, message",
    [
        (("study: s", "study: s\ncolour: red"), "top level: unknown key 'colour'; allowed:"),
        (
            ("columns: [{}]", "columns: [{effects: both}]"),
            r"tables\[0\].columns\[0\].effects: 'both' is not allowed; use one of entity, none, twoway",
        ),
        (
            ("model: {outcome: y, treatment: x, controls: [c]}", "model: {treatment: x}"),
            r"tables\[0\].columns\[0\]: no 'outcome' here",
        ),
        (("columns: [{}]", "columns: [{lead: one}]"), r"columns\[0\].lead: expected int, got 'one'"),
        (("- id: t1", "- id: t1\n    kind: probit"), r"tables\[0\].kind: 'probit' is not allowed"),
        (("columns: [{}]", "columns: [{split: {variable: c, side: middle}}]"), r"split.side: use one of high, low"),
    ],
)
def test_invalid_specs_name_the_key_and_what_is_allowed(tmp_path, change, message):
    path = write_spec(tmp_path, MINIMAL.replace(*change))
    with pytest.raises(SpecError, match=message):
        load_spec(path)


def firm_panel(seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    firms, years = 40, 6
    frame = pd.DataFrame(
        {
            "firm": np.repeat([f"F{i:03d}" for i in range(firms)], years),
            "year": np.tile(np.arange(2001, 2001 + years), firms),
        }
    )
    fe = np.repeat(rng.normal(size=firms), years)
    frame["x"] = fe + rng.normal(size=len(frame))
    frame["c"] = rng.normal(size=len(frame))
    frame["y"] = 0.5 * frame.x - 0.2 * frame.c + fe + 0.1 * frame.year + rng.normal(size=len(frame))
    frame["size"] = np.repeat(rng.uniform(size=firms), years)
    return frame


def test_a_study_on_a_firm_panel_with_where_and_split(tmp_path):
    warehouse = tmp_path / "firms.duckdb"
    con = duckdb.connect(str(warehouse))
    con.register("firms_df", firm_panel())
    con.execute("create table firms as select * from firms_df")
    con.close()
    spec_path = write_spec(
        tmp_path,
        MINIMAL.replace(
            "columns: [{}]",
            """columns:
      - {}
      - {where: "year >= 2003"}
      - {split: {variable: size, side: high}}
      - {split: {variable: size, side: low}}""",
        ),
    )
    spec = load_spec(spec_path)
    panel = read_table("main.firms", warehouse)
    table = run_study(spec, panel).tables[0]
    assert [c.result.nobs for c in table.columns] == [240, 160, 120, 120]
    direct = fit_panel(panel, "y", ["x", "c"], entity="firm", time="year")
    assert table.columns[0].result.params["x"] == pytest.approx(direct.params["x"], rel=1e-12)


def test_an_unknown_variable_or_bad_filter_is_a_spec_error(tmp_path):
    panel = firm_panel()
    spec = load_spec(write_spec(tmp_path, MINIMAL.replace("controls: [c]", "controls: [cc]")))
    with pytest.raises(SpecError, match="variable 'cc' is not a column of the panel"):
        run_study(spec, panel)
    spec = load_spec(write_spec(tmp_path, MINIMAL.replace("columns: [{}]", 'columns: [{where: "year >>> 2"}]')))
    with pytest.raises(SpecError, match="is not a valid SQL condition"):
        run_study(spec, panel)


@pytest.fixture(scope="module")
def study_a_outputs(demo_studies_zh):
    """Study A's outputs in the session's Chinese run of both packaged studies (tests/conftest.py)."""
    return demo_studies_zh["out"], demo_studies_zh["outputs"]


def test_study_a_writes_all_its_tables_results_and_report(study_a_outputs, demo_warehouse):
    out, outputs = study_a_outputs
    for table in ("t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9"):
        for suffix in ("md", "tex", "docx", "xlsx"):
            assert (out / "study_a" / f"{table}.{suffix}").is_file()
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "SYNTHETIC" in report and "表7" in report and "表9" in report
    estimates = read_table("results.estimates", demo_warehouse, where="study = 'study_a' and term = 'dt'")
    n_by_column = estimates.groupby(["table_id", "column_name"]).n_obs.first()
    # the observation counts of the paper's tables
    assert list(n_by_column.loc["t4"]) == [234, 240, 270]  # (1) uses ecom_sales, not dt
    assert list(n_by_column.loc["t5"]) == [90, 180, 135, 135, 99, 72, 99]
    assert list(n_by_column.loc["t7"]) == [270, 270, 270, 240, 210]
    diagnostics = read_table("results.diagnostics", demo_warehouse, where="study = 'study_a' and table_id = 't3'")
    assert {"kp_rk_lm", "cd_wald_f", "endog_test_p"} <= set(diagnostics.name)


def test_two_way_fe_on_the_demo_panel_matches_pyfixest(study_a_outputs, demo_warehouse):
    _, outputs = study_a_outputs
    table = next(t for t in outputs["study_a"]["run"].tables if t.table_id == "t2")
    ours = table.columns[3].result  # two-way FE with controls
    panel = read_table("marts.fct_panel", demo_warehouse, where="year between 2015 and 2023")
    controls = ["market", "npr", "fdep", "govs", "va_share_2"]
    fit = pf.feols(f"res ~ dt + {' + '.join(controls)} | unit_code + year", data=panel, vcov={"CRV1": "unit_code"})
    for term in ["dt", *controls]:
        assert ours.params[term] == pytest.approx(fit.coef()[term], rel=1e-8)
        assert ours.std_errors[term] == pytest.approx(fit.se()[term], rel=1e-8)


def test_table_5_prints_dt_and_nqp_from_one_regression_per_group(study_a_outputs, demo_warehouse):
    """The paper's Table 5 has a dt row and an nqp row over one N and R-squared per column."""
    out, outputs = study_a_outputs
    table = next(t for t in outputs["study_a"]["run"].tables if t.table_id == "t5")
    rows = [
        line.split("|")[1].strip()
        for line in (out / "study_a" / "t5.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| ")
    ]
    assert "数字贸易(dt)" in rows and "新质生产力(nqp)" in rows
    east = table.columns[4].result  # region east, N 99
    panel = read_table(
        "marts.fct_panel", demo_warehouse, where="year between 2015 and 2023 and region_three_regions = 'east'"
    )
    controls = ["nqp", "market", "npr", "fdep", "govs", "va_share_2"]
    fit = pf.feols(f"res ~ dt + {' + '.join(controls)} | unit_code + year", data=panel, vcov={"CRV1": "unit_code"})
    for term in ["dt", "nqp"]:
        assert east.params[term] == pytest.approx(fit.coef()[term], rel=1e-8)
        assert east.std_errors[term] == pytest.approx(fit.se()[term], rel=1e-8)


def test_the_effect_planted_by_the_demo_generator_is_recovered_within_its_standard_error(demo_warehouse):
    """market = ... + 0.632 x digital_trade_value (generator PLANTED); two-way FE on study B's window."""
    panel = read_table("marts.fct_panel", demo_warehouse, where="year between 2014 and 2022")
    fit = fit_panel(panel, "market", ["digital_trade_value"], entity="unit_code", time="year")
    estimate, se = fit.params["digital_trade_value"], fit.std_errors["digital_trade_value"]
    assert abs(estimate - PLANTED["market_on_V"]) < se


def test_default_studies_are_packaged():
    assert "study_a.yml" in [p.name for p in default_study_paths()]

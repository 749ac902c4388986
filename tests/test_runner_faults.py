"""The study runner never gives a silent wrong result or a traceback: the IV first stage uses the
2SLS sample, every stored row has a unique key, samples a model cannot use are clear errors
(exit 2, file and key named), fragile inference is a warning in the notes and a flag in results,
degenerate standard errors get no stars, and results are written in one transaction."""

from __future__ import annotations

import re

import duckdb
import numpy as np
import pandas as pd
import pyfixest as pf
import pytest
from test_study import MINIMAL, firm_panel

from cipanel.cli import main as cli
from cipanel.output.notes import run_text, table_notes, warning_lines
from cipanel.output.regression_tables import regression_grid
from cipanel.study import results
from cipanel.study.results import check_unique, store, tidy
from cipanel.study.runner import run_study
from cipanel.study.spec import SpecError, StudyError, load_spec
from cipanel.warehouse import read_table


def panel() -> pd.DataFrame:
    frame = firm_panel()
    rng = np.random.default_rng(11)
    frame["z"] = frame["x"] + rng.normal(size=len(frame))
    frame["z_noise"] = rng.normal(size=len(frame))
    frame["const"] = 1.0
    frame["size_fixed"] = frame["size"]  # constant within each firm
    frame["pair"] = frame["firm"].str[-1].astype(int) % 5  # 5 clusters
    frame["c_copy"] = frame["c"] * 2.0
    return frame


def spec_from(tmp_path, text: str, name: str = "s.yml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_spec(path, "en")


IV = MINIMAL.replace("- id: t1", "- id: t1\n    kind: iv").replace("columns: [{}]", "columns: [{instruments: [z]}]")


# ------------------------------------------------------------------ IV: one sample for both stages


def test_iv_first_stage_uses_exactly_the_2sls_sample(tmp_path):
    """Rows with a missing outcome used to stay in the first stage (256 against 92 observations in
    a textbook panel); both stages now use the rows with every variable observed."""
    frame = panel()
    frame.loc[frame.index[::3], "y"] = np.nan  # 80 of 240 outcomes missing
    table = run_study(spec_from(tmp_path, IV), frame, "en").tables[0]
    first, second = (c.result for c in table.columns)
    complete = frame.dropna(subset=["y", "x", "c", "z"])
    assert first.nobs == second.nobs == len(complete) == 160
    # independent: the first stage by pyfixest on the 2SLS sample
    fit = pf.feols("x ~ z + c | firm + year", data=complete, vcov={"CRV1": "firm"})
    assert first.params["z"] == pytest.approx(fit.coef()["z"], rel=1e-8)
    assert first.std_errors["z"] == pytest.approx(fit.se()["z"], rel=1e-8)


def test_two_iv_columns_get_four_distinct_names_and_unique_stored_keys(tmp_path):
    text = IV.replace(
        "columns: [{instruments: [z]}]", 'columns: [{instruments: [z]}, {instruments: [z], where: "year > 2002"}]'
    )
    run = run_study(spec_from(tmp_path, text), panel(), "en")
    table = run.tables[0]
    assert [c.name for c in table.columns] == ["(1)", "(2)", "(3)", "(4)"]
    assert [c.role for c in table.columns] == ["iv_first", "iv_second", "iv_first", "iv_second"]
    warehouse = tmp_path / "w.duckdb"
    duckdb.connect(str(warehouse)).close()  # an existing warehouse: store() never creates one
    store(run, warehouse, run_text(run))
    store(run, warehouse, run_text(run))  # a second run replaces the first, it does not add to it
    con = duckdb.connect(str(warehouse), read_only=True)
    for name, keys in results.KEYS.items():
        total, distinct = con.execute(
            f"select count(*), count(distinct ({', '.join(keys)})) from results.{name}"
        ).fetchone()
        assert total == distinct, name
        assert total > 0 or name == "descriptives"
    roles = con.execute("select column_name, role from results.estimates where term = 'x' order by 1").fetchall()
    con.close()
    assert roles == [("(2)", "iv_second"), ("(4)", "iv_second")]


def test_a_duplicated_key_is_refused_before_writing(tmp_path):
    text = MINIMAL.replace(
        "tables:", "labels: {x: Same, c: Same}\ntables:\n  - id: d\n    kind: descriptive\n    variables: [x, c]"
    )
    run = run_study(spec_from(tmp_path, text), panel(), "en")
    with pytest.raises(StudyError, match=r"results.descriptives: 2 rows share one key .*variable='Same'"):
        tidy(run, run_text(run))
    frame = pd.DataFrame(
        {"study": ["s", "s"], "table_id": ["t", "t"], "column_name": ["(1)", "(1)"], "term": ["x", "x"]}
    )
    with pytest.raises(StudyError, match="results.estimates: 2 rows share one key"):
        check_unique(frame, "estimates")


# ------------------------------------------------------------------ clear errors, through the CLI


@pytest.fixture()
def warehouse(tmp_path):
    path = tmp_path / "firms.duckdb"
    con = duckdb.connect(str(path))
    con.register("frame", panel())
    con.execute("create table firms as select * from frame")
    con.execute("create schema raw")
    con.execute("create table raw.indicator_values as select 'SYNTHETIC.csv' as source_file")
    con.close()
    return path


FAULTS = [
    (
        "constant treatment",
        MINIMAL.replace("treatment: x", "treatment: const"),
        r"tables\[0\]\.columns\[0\] \(table t1, column \(1\)\): the treatment 'const' is constant",
    ),
    (
        "treatment absorbed by unit FE",
        MINIMAL.replace("treatment: x", "treatment: size_fixed"),
        r"the treatment 'size_fixed' does not vary within any unit, so the unit fixed effects absorb it",
    ),
    (
        "instrument absorbed by unit FE",
        IV.replace("instruments: [z]", "instruments: [size_fixed]"),
        r"the instrument 'size_fixed' does not vary within any unit",
    ),
    (
        "one cluster",
        MINIMAL.replace("columns: [{}]", "columns: [{cluster: const}]"),
        r"clustered standard errors by 'const' need at least 2 clusters, the estimation sample has 1",
    ),
    (
        "empty sample",
        MINIMAL.replace("columns: [{}]", 'columns: [{where: "year > 3000"}]'),
        r"the estimation sample is empty: 0 panel rows",
    ),
    (
        "years outside the data",
        MINIMAL.replace("time: year}", "time: year, years: [1990, 2003]}"),
        r"panel\.years: \[1990, 2003\] is outside the data, which cover 2001-2006 in main\.firms",
    ),
    (
        "years reversed",
        MINIMAL.replace("time: year}", "time: year, years: [2005, 2003]}"),
        r"panel\.years: expected \[first, last\]",
    ),
    (
        "bad bootstrap weights",
        MINIMAL.replace("- id: t1", "- id: t1\n    wild_bootstrap: {weights: mammen}"),
        r"tables\[0\]\.wild_bootstrap\.weights: 'mammen' is not allowed; use one of rademacher, webb",
    ),
    (
        "too few bootstrap draws",
        MINIMAL.replace("- id: t1", "- id: t1\n    wild_bootstrap: {B: 0}"),
        r"tables\[0\]\.wild_bootstrap\.B: expected a whole number >= 99, got 0",
    ),
    (
        "bad placebo mode",
        MINIMAL.replace("- id: t1", "- id: t1\n    placebo: {mode: firm}"),
        r"tables\[0\]\.placebo\.mode: 'firm' is not allowed",
    ),
    (
        "unknown cluster column",
        MINIMAL.replace("columns: [{}]", "columns: [{cluster: province}]"),
        r"tables\[0\]\.columns\[0\]\.cluster: cluster column 'province' is not a column of the panel",
    ),
    (
        "a variable used twice",
        MINIMAL.replace("controls: [c]", "controls: [c, x]"),
        r"columns\[0\]\.controls: 'x' is already the treatment of this column",
    ),
    (
        "a collinear control",
        MINIMAL.replace("controls: [c]", "controls: [c, c_copy]"),
        r"the model cannot be estimated on this sample \(240 rows\): regressor\(s\) \['c_copy'\] are collinear",
    ),
    (
        "unknown unit",
        MINIMAL.replace("time: year}", "time: year, units: {exclude: [F999]}}"),
        r"panel\.units\.exclude: unit 'F999' has no rows in main\.firms",
    ),
]


@pytest.mark.parametrize("name, text, message", FAULTS, ids=[f[0] for f in FAULTS])
def test_a_sample_the_model_cannot_use_is_one_clear_error(tmp_path, warehouse, capsys, name, text, message):
    path = tmp_path / "fault.yml"
    path.write_text(text, encoding="utf-8")
    code = cli(["study", "--warehouse", str(warehouse), "--study", str(path), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith(f"error: {path}: "), err
    assert re.search(message, err), err
    assert "Traceback" not in err


def test_a_time_invariant_treatment_is_fine_without_unit_effects(tmp_path):
    text = MINIMAL.replace("treatment: x", "treatment: size_fixed").replace(
        "columns: [{}]", "columns: [{effects: none}]"
    )
    result = run_study(spec_from(tmp_path, text), panel(), "en").tables[0].columns[0].result
    assert np.isfinite(result.params["size_fixed"])


# ------------------------------------------------------------------ warnings: notes and flags


def test_few_clusters_warn_in_the_notes_and_flag_the_results(tmp_path):
    text = MINIMAL.replace("columns: [{}]", "columns: [{}, {cluster: pair}]")
    run = run_study(spec_from(tmp_path, text), panel(), "en")
    table = run.tables[0]
    assert table.columns[1].result.n_clusters == 5
    assert any(
        n.startswith("Warning: column (2) has only 5 clusters (fewer than 10)") for n in table_notes(table, "en")
    )
    assert not any("column (1) has only" in n for n in table_notes(table, "en"))
    assert warning_lines(run) == [
        "s: table t1: column (2) has only 5 clusters (fewer than 10); cluster-robust "
        "p-values are unreliable, see a wild cluster bootstrap."
    ]
    estimates = tidy(run, run_text(run))["estimates"]
    assert set(estimates[estimates.column_name == "(2)"].few_clusters) == {True}
    assert set(estimates[estimates.column_name == "(1)"].few_clusters) == {False}


def test_a_weak_instrument_is_a_warning_and_a_diagnostic(tmp_path):
    text = IV.replace("instruments: [z]", "instruments: [z_noise]")
    run = run_study(spec_from(tmp_path, text), panel(), "en")
    table = run.tables[0]
    second = table.columns[1].result
    assert second.diagnostics["kp_rk_wald_f"] < 10 and second.diagnostics["weak_instrument"] == 1.0
    assert any(
        "column (2) may have a weak instrument (Kleibergen-Paap Wald F = " in n for n in table_notes(table, "en")
    )
    strong = run_study(spec_from(tmp_path, IV, "strong.yml"), panel(), "en").tables[0]
    assert "weak_instrument" not in strong.columns[1].result.diagnostics


def test_two_clusters_give_no_stars_on_a_degenerate_standard_error(demo_warehouse, tmp_path):
    """Two provinces clustered by province: the cluster-robust variance has rank 1 and the SE of dt
    is ~1e-13 (t ~ 5e12, once printed with ***). Now: no t, p or stars, a note, a flag."""
    text = """
study: s
panel: {relation: marts.fct_panel, entity: unit_code, time: year, years: [2015, 2023]}
model: {outcome: res, treatment: dt, controls: [market, npr, fdep, govs, va_share_2]}
tables:
  - id: t1
    columns:
      - {where: "unit_code in ('110000', '120000')"}
"""
    run = run_study(spec_from(tmp_path, text), read_table("marts.fct_panel", demo_warehouse), "en")
    table = run.tables[0]
    column = table.columns[0]
    assert column.result.n_clusters == 2 and column.result.std_errors["dt"] < 1e-9 * abs(column.result.params["dt"])
    assert "dt" in column.degenerate_terms and np.isnan(column.result.pvalues["dt"])
    grid = regression_grid(table, "en")
    dt_row = grid.body[0]
    assert dt_row[1] and "*" not in dt_row[1] and grid.body[1][1] == ""
    assert any(
        "standard error of dt" in n and "no t statistic, p-value or stars" in n for n in table_notes(table, "en")
    )
    assert any("only 2 clusters" in n for n in table_notes(table, "en"))
    row = tidy(run, run_text(run))["estimates"].set_index("term").loc["dt"]
    assert bool(row.degenerate_se) and np.isnan(row.p_value) and pd.isna(row.conf_low)


# ------------------------------------------------------------------ one transaction per study run


def test_a_failed_store_leaves_the_previous_results_as_they_were(tmp_path, monkeypatch):
    warehouse = tmp_path / "w.duckdb"
    duckdb.connect(str(warehouse)).close()  # an existing warehouse: store() never creates one
    first = run_study(spec_from(tmp_path, MINIMAL), panel(), "en")
    store(first, warehouse, run_text(first))
    con = duckdb.connect(str(warehouse), read_only=True)
    before = {name: con.execute(f"select * from results.{name} order by all").fetchall() for name in results.KEYS}
    con.close()
    second = run_study(
        spec_from(tmp_path, MINIMAL.replace("columns: [{}]", "columns: [{}, {effects: none}]")), panel(), "en"
    )
    real = results._migrate

    def fail_on_descriptives(con, name):  # a fault after estimates and diagnostics were replaced
        if name == "descriptives":
            raise OSError("disk full (simulated)")
        real(con, name)

    monkeypatch.setattr(results, "_migrate", fail_on_descriptives)
    with pytest.raises(OSError, match="simulated"):
        store(second, warehouse, run_text(second))
    con = duckdb.connect(str(warehouse), read_only=True)
    after = {name: con.execute(f"select * from results.{name} order by all").fetchall() for name in results.KEYS}
    con.close()
    assert after == before


def test_results_tables_of_an_older_version_gain_the_new_columns(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    duckdb.connect(str(warehouse)).close()  # an existing warehouse: store() never creates one
    con = duckdb.connect(str(warehouse))
    con.execute("create schema results")
    con.execute(
        "create table results.estimates (study varchar, table_id varchar, column_name varchar, "
        "term varchar, estimate double)"
    )
    con.execute("insert into results.estimates values ('other', 't1', '(1)', 'x', 1.5)")
    con.close()
    run = run_study(spec_from(tmp_path, MINIMAL), panel(), "en")
    store(run, warehouse, run_text(run))
    con = duckdb.connect(str(warehouse), read_only=True)
    rows = con.execute(
        "select study, estimate, n_interpolated_cells from results.estimates where term = 'x' order by study"
    ).fetchall()
    con.close()
    assert rows[0] == ("other", 1.5, None) and rows[1][0] == "s"


@pytest.mark.parametrize(
    "change, message",
    [
        (
            ("- id: t1", "- id: t1\n    placebo: {B: 99, mode: unit}"),
            r"tables\[0\] \(table t1\): an inference option .*balanced panel",
        ),
        (
            ("columns: [{}]", "columns: [{split: {variable: name, side: high}}]"),
            r"split.variable: 'name' is not numeric",
        ),
        (
            ("tables:", "tables:\n  - id: d\n    kind: descriptive\n    variables: [x, name]"),
            r"variable 'name' is not numeric",
        ),
    ],
)
def test_inference_and_variable_type_faults_are_clear_errors(tmp_path, change, message):
    frame = panel().iloc[1:]  # unbalanced: firm F000 lacks its first year
    frame = frame.assign(name="firm " + frame.firm)
    with pytest.raises(SpecError, match=message):
        run_study(spec_from(tmp_path, MINIMAL.replace(*change)), frame, "en")

"""Sample rules per study (panel.units) and the interpolated cells each regression uses: the
regression sample is set in the spec without touching the reference data, the index sample
stays as the reference data say, and both, with the interpolated-cell counts, reach the table
notes and results.*."""

from __future__ import annotations

import shutil

import duckdb
import pandas as pd
import pyfixest as pf
import pytest
from test_study import MINIMAL, firm_panel

from cipanel.output.notes import describe_index_sample, describe_units, run_text, table_notes
from cipanel.study.panel_source import read_panel
from cipanel.study.results import store
from cipanel.study.runner import run_study
from cipanel.study.spec import SpecError, StudyError, load_spec
from cipanel.warehouse import read_table

CONTROLS = ["market", "npr", "fdep", "govs", "va_share_2"]
DEMO_SPEC = """
study: sample_rules
panel:
  relation: marts.fct_panel
  entity: unit_code
  time: year
  years: [2015, 2023]
  units: {exclude_flags: [is_municipality]}
model: {outcome: res, treatment: dt, controls: [market, npr, fdep, govs, va_share_2]}
tables:
  - id: t1
    columns:
      - {}
      - {where: "year <= 2019"}
      - {outcome: nqp_means, lead: 2}
"""


def write(tmp_path, text, name="s.yml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def demo_run(demo_warehouse, tmp_path_factory):
    folder = tmp_path_factory.mktemp("rules")
    warehouse = folder / "copy.duckdb"
    shutil.copy(demo_warehouse, warehouse)  # results are written to a copy
    spec = load_spec(write(folder, DEMO_SPEC), "en")
    inputs = read_panel(spec, warehouse)
    run = run_study(spec, inputs.frame, "en", imputed=inputs.imputed, index_sample=inputs.index_sample)
    store(run, warehouse, run_text(run))
    return run, warehouse


def test_municipalities_out_by_a_dim_units_flag_match_an_independent_fit(demo_run):
    run, warehouse = demo_run
    ours = run.tables[0].columns[0].result
    panel = read_table("marts.fct_panel", warehouse, where="year between 2015 and 2023 and not is_municipality")
    fit = pf.feols(f"res ~ dt + {' + '.join(CONTROLS)} | unit_code + year", data=panel, vcov={"CRV1": "unit_code"})
    assert ours.nobs == 234 and ours.n_clusters == 26
    assert ours.params["dt"] == pytest.approx(fit.coef()["dt"], rel=1e-8)
    assert ours.std_errors["dt"] == pytest.approx(fit.se()["dt"], rel=1e-8)


def test_both_samples_are_stated_in_the_notes_and_in_results_runs(demo_run):
    run, warehouse = demo_run
    notes = table_notes(run.tables[0], "en")
    regression = (
        "Regression sample (set by this study): 26 units; excluded by is_municipality (4): "
        "110000, 120000, 310000, 500000."
    )
    index = (
        "Index sample (as the catalog says, unchanged by the study): the 30 in-sample units of the "
        "reference data (out: 540000)."
    )
    assert regression in notes and index in notes
    con = duckdb.connect(str(warehouse), read_only=True)
    row = con.execute(
        "select regression_sample, index_sample from results.runs where study = 'sample_rules'"
    ).fetchone()
    indexed = con.execute("select count(distinct unit_code) from marts.fct_index_scores").fetchone()[0]
    con.close()
    assert row == (
        "26 units; excluded by is_municipality (4): 110000, 120000, 310000, 500000",
        "the 30 in-sample units of the reference data (out: 540000)",
    )
    assert indexed == 30  # the index sample is untouched by the study's rule


def independent_interpolated_cells(warehouse, variables, years, excluded, lead=0, lead_variable=None) -> int:
    """Distinct interpolated (unit, year, indicator) cells behind `variables` over the sample years:
    a variable's own cells, or its index's / dimension's components (SQL on the audit log)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    names = ", ".join(f"'{v}'" for v in variables)
    sql = f"""
        select count(*) from (
            select distinct l.unit_code, l.year, l.indicator_code
            from audit.audit_imputation_log as l
            left join marts.dim_indicators as d on l.indicator_code = d.indicator_code
            where l.value_status = 'interpolated'
              and l.unit_code not in ({", ".join(f"'{u}'" for u in excluded)})
              and ((l.year between {years[0]} and {years[1]}
                    and (l.indicator_code in ({names}) or d.index_code in ({names})
                         or d.index_code || '_' || d.dimension_code in ({names})))
                   {f"or (l.year - {lead} between {years[0]} and {years[1]} and d.index_code || '_' || d.dimension_code = '{lead_variable}')" if lead else ""}))"""
    count = con.execute(sql).fetchone()[0]
    con.close()
    return count


def test_every_regression_reports_its_interpolated_cells(demo_run):
    run, warehouse = demo_run
    municipalities = ["110000", "120000", "310000", "500000"]
    columns = run.tables[0].columns
    full = independent_interpolated_cells(warehouse, ["res", "dt", *CONTROLS], (2015, 2023), municipalities)
    to_2019 = independent_interpolated_cells(warehouse, ["res", "dt", *CONTROLS], (2015, 2019), municipalities)
    # the lead column: nqp_means two years ahead, over the rows whose lead exists (2015-2021)
    lead = independent_interpolated_cells(
        warehouse, ["dt", *CONTROLS], (2015, 2021), municipalities, lead=2, lead_variable="nqp_means"
    )
    counts = [int(c.result.diagnostics["n_interpolated_cells"]) for c in columns]
    assert counts == [full, to_2019, lead]
    assert full > to_2019 > 0 and lead > 0
    assert (
        f"Interpolated cells used by each column's estimation sample (incl. index components): (1) {full}, "
        f"(2) {to_2019}, (3) {lead}." in table_notes(run.tables[0], "en")
    )
    con = duckdb.connect(str(warehouse), read_only=True)
    stored = con.execute(
        "select column_name, min(n_interpolated_cells), max(n_interpolated_cells) from results.estimates "
        "where study = 'sample_rules' group by 1 order by 1"
    ).fetchall()
    con.close()
    assert stored == [("(1)", full, full), ("(2)", to_2019, to_2019), ("(3)", lead, lead)]


def test_a_unit_out_of_the_reference_sample_cannot_be_included_silently(demo_warehouse, tmp_path):
    text = DEMO_SPEC.replace("units: {exclude_flags: [is_municipality]}", "units: {include: ['540000']}")
    spec = load_spec(write(tmp_path, text), "en")
    with pytest.raises(
        StudyError,
        match=r"panel.units.include: unit '540000' has no rows in marts.fct_panel"
        r": check the code; a unit outside the index sample is in marts.fct_panel only when the data hold a "
        r"value of a standalone variable for it",
    ):
        run_study(spec, read_panel(spec, demo_warehouse).frame, "en")


# ------------------------------------------------------------------ synthetic panels


def firms_with_sample_flag() -> pd.DataFrame:
    frame = firm_panel()
    frame["in_sample"] = ~frame.firm.isin(["F000", "F001"])
    return frame


def test_the_panel_flag_sets_the_default_and_include_exclude_change_it(tmp_path):
    base = MINIMAL.replace("time: year}", "time: year, units: {include: [F000], exclude: [F002, F003]}}")
    run = run_study(load_spec(write(tmp_path, base), "en"), firms_with_sample_flag(), "en")
    result = run.tables[0].columns[0].result
    assert result.n_clusters == 40 - 1 - 2  # F001 out by the flag, F000 back in, F002 and F003 out
    assert describe_units(run.regression_sample, "en") == (
        "37 units; included F000; of them outside the index sample (no index score, so regressions on an index "
        "cannot use their rows): F000 (6 panel rows); excluded F002, F003; out by the panel's in_sample: F001"
    )
    assert any(
        n.startswith("Regression sample (set by this study): 37 units") for n in table_notes(run.tables[0], "en")
    )
    plain = run_study(load_spec(write(tmp_path, MINIMAL, "plain.yml"), "en"), firms_with_sample_flag(), "en")
    assert plain.tables[0].columns[0].result.n_clusters == 38
    assert not any(n.startswith("Regression sample") for n in table_notes(plain.tables[0], "en"))  # no rules: no note


@pytest.fixture()
def firm_warehouse(tmp_path):
    path = tmp_path / "firms.duckdb"
    con = duckdb.connect(str(path))
    con.register("frame", firm_panel())
    con.execute("create table firms as select * from frame")
    con.execute("create schema marts")
    con.execute(
        "create table marts.dim_units as select distinct firm as unit_code, size > 0.5 as is_big, "
        "true as in_sample, 'x' as unit_type from frame"
    )
    con.close()
    return path


def test_a_flag_of_dim_units_that_the_panel_lacks_is_joined(tmp_path, firm_warehouse):
    text = MINIMAL.replace("time: year}", "time: year, units: {exclude_flags: [is_big]}}")
    spec = load_spec(write(tmp_path, text), "en")
    inputs = read_panel(spec, firm_warehouse)
    run = run_study(spec, inputs.frame, "en", imputed=inputs.imputed, index_sample=inputs.index_sample)
    frame = firm_panel()
    small = frame[frame["size"] <= 0.5]
    assert run.tables[0].columns[0].result.n_clusters == small.firm.nunique()
    assert describe_index_sample(run.index_sample, "en") == "the 40 in-sample units of the reference data"
    assert "Interpolated cells used: not known (the warehouse has no imputation log)." in table_notes(
        run.tables[0], "en"
    )


@pytest.mark.parametrize(
    "flag, message",
    [
        (
            "is_tiny",
            r"'is_tiny' is not a column of main.firms or marts.dim_units \(boolean columns of marts.dim_units: "
            r"in_sample, is_big\)",
        ),
        ("unit_type", r"marts.dim_units.unit_type is VARCHAR, not a true/false flag"),
    ],
)
def test_a_bad_flag_is_named(tmp_path, firm_warehouse, flag, message):
    text = MINIMAL.replace("time: year}", f"time: year, units: {{exclude_flags: [{flag}]}}}}")
    spec = load_spec(write(tmp_path, text), "en")
    with pytest.raises(StudyError, match=message):
        read_panel(spec, firm_warehouse)


@pytest.mark.parametrize(
    "units, message",
    [
        ("{include: [F001], exclude: [F001]}", r"panel.units: unit 'F001' is both included and excluded"),
        ("{drop: [F001]}", r"panel.units: unknown key 'drop'; allowed: exclude, exclude_flags, include"),
        ("{exclude: F001}", r"panel.units.exclude: expected a list"),
    ],
)
def test_malformed_sample_rules_are_spec_errors(tmp_path, units, message):
    with pytest.raises(SpecError, match=message):
        load_spec(write(tmp_path, MINIMAL.replace("time: year}", f"time: year, units: {units}}}")))

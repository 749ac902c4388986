"""A unit outside the index sample brought into one study's regressions (`panel.units.include`),
without touching the reference data: the demo project copied to a temporary folder with SYNTHETIC
Tibet (540000) values added, built once and run once through `cipanel run`.

Tibet's standalone variables reach marts.fct_panel (in_sample false), its index components are
refused, the indices are those of the demo, a study that includes Tibet uses its rows where every
variable is observed and states per column how many rows an index (or a gap) cost, and a study
without the rule is the default sample. Numbers are checked against NumPy and linearmodels."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest
from linearmodels.panel import PanelOLS
from test_user_projects import query, repo_state, run_cli, twoway_fe

from warehouse_build import DEMO

TIBET = "540000"
STANDALONE = ["market", "npr", "fdep", "govs", "va_share_2"]
YEARS = range(2014, 2024)
GAP_YEAR = 2018  # market of Tibet is blank in 2018: a standalone gap, not interpolated
X = ["npr", "fdep", "govs"]

TABLE = """
  - id: t2
    title: {{en: Regressions, zh: 回归}}
    columns:
      - {{effects: none}}
      - {{}}
      - {{outcome: res, treatment: dt, controls: [market, npr, fdep, govs, va_share_2]}}
"""
STUDY = (
    """\
study: {name}
title: {{en: Tibet sample rule (SYNTHETIC), zh: 西藏样本规则(SYNTHETIC)}}
panel:
  relation: marts.fct_panel
  entity: unit_code
  time: year
  years: [2015, 2023]
{units}model: {{outcome: market, treatment: npr, controls: [fdep, govs], effects: twoway, cov: clustered}}
tables:
  - id: t1
    kind: descriptive
    title: {{en: Descriptives, zh: 描述性统计}}
    variables: [market, npr, res]
"""
    + TABLE
)


def tibet_values() -> pd.DataFrame:
    """SYNTHETIC values of Tibet: five standalone variables (one gap) and one index component."""
    rng = np.random.default_rng(20261202)
    rows = []
    for year in YEARS:
        for code in STANDALONE:
            value = "" if code == "market" and year == GAP_YEAR else f"{rng.uniform(0.1, 0.9):.6f}"
            rows.append((TIBET, year, code, value))
        rows.append((TIBET, year, "gdp_pc", f"{rng.uniform(30000, 60000):.0f}"))  # component of res
    return pd.DataFrame(rows, columns=["unit_code", "year", "indicator_code", "value"])


@pytest.fixture(scope="module")
def tibet_project(tmp_path_factory):
    before = repo_state()
    folder = tmp_path_factory.mktemp("tibet") / "tibet-study"
    shutil.copytree(DEMO, folder, ignore=shutil.ignore_patterns("output", "warehouse"))
    for spec in (folder / "studies").glob("*.yml"):
        spec.unlink()  # the demo's studies are not this test's (and slow)
    tibet_values().to_csv(folder / "data" / "tibet_values_synthetic.csv", index=False)
    studies = folder / "studies"
    (studies / "tibet_in.yml").write_text(
        STUDY.format(name="tibet_in", units=f"  units: {{include: ['{TIBET}']}}\n"), encoding="utf-8"
    )
    (studies / "tibet_out.yml").write_text(STUDY.format(name="tibet_out", units=""), encoding="utf-8")
    warehouse = folder / "warehouse" / "tibet.duckdb"
    code, text = run_cli(["run", "--project", str(folder), "--warehouse", str(warehouse), "--lang", "en"])
    assert code == 0, text
    return {"folder": folder, "warehouse": warehouse, "text": text, "repo": (before, repo_state())}


def estimates(warehouse, study) -> pd.DataFrame:
    return query(
        warehouse,
        f"select column_name, term, estimate, std_error, n_obs from results.estimates where study = '{study}'",
    ).set_index(["column_name", "term"])


def regression_frame(warehouse, include: bool, y: str, xs: list[str]) -> pd.DataFrame:
    panel = query(warehouse, "select * from marts.fct_panel where year between 2015 and 2023")
    keep = panel.in_sample | (panel.unit_code == TIBET) if include else panel.in_sample
    return panel[keep].dropna(subset=[y, *xs]).reset_index(drop=True)


def test_tibet_standalone_values_reach_the_panel_and_components_do_not(tibet_project):
    warehouse = tibet_project["warehouse"]
    tibet = query(warehouse, f"select * from marts.fct_panel where unit_code = '{TIBET}' order by year")
    assert list(tibet.year) == list(YEARS) and not tibet.in_sample.any()
    given = tibet_values().query("indicator_code == 'npr'").value.astype(float).to_numpy()
    np.testing.assert_allclose(tibet.npr.to_numpy(), given, rtol=0, atol=1e-12)
    assert tibet.market.isna().sum() == 1 and pd.isna(tibet.set_index("year").market[GAP_YEAR])  # not filled
    assert tibet.gdp_pc.isna().all() and tibet.res.isna().all() and tibet.dt.isna().all()
    assert query(warehouse, "select count(*) as n from marts.fct_panel where in_sample").n[0] == 30 * 10
    # the value grid of Tibet: the standalone variables it has rows of, nothing else (no empty cells)
    log = query(
        warehouse,
        f"select indicator_code, year, value_status from audit.audit_imputation_log where unit_code = '{TIBET}'",
    )
    assert log.values.tolist() == [["market", GAP_YEAR, "not_interpolated"]]


def test_the_indices_are_those_of_the_catalog_sample(tibet_project, demo_warehouse):
    warehouse = tibet_project["warehouse"]
    assert query(warehouse, f"select count(*) as n from marts.fct_index_scores where unit_code = '{TIBET}'").n[0] == 0
    sql = "select index_code, method, indicator_code, weight from marts.fct_indicator_weights order by 1, 2, 3"
    ours, demo = query(warehouse, sql), query(demo_warehouse, sql)
    pd.testing.assert_frame_equal(ours, demo, check_exact=False, rtol=0, atol=1e-12)


def test_row_accounting_counts_accepted_outside_the_index_sample_and_rejected_components(tibet_project):
    accounting = query(
        tibet_project["warehouse"],
        "select * from audit.audit_row_accounting where source_file = 'tibet_values_synthetic.csv'",
    ).iloc[0]
    n_standalone, n_components = len(STANDALONE) * len(YEARS), len(YEARS)
    assert accounting.rows_landed == n_standalone + n_components
    assert accounting.rows_accepted == accounting.rows_accepted_outside_index_sample == n_standalone
    assert accounting.rows_rejected == n_components
    reasons = query(
        tibet_project["warehouse"],
        "select distinct rejection_reason from audit.audit_rejected_rows where source_file = 'tibet_values_synthetic.csv'",
    ).rejection_reason.tolist()
    assert reasons == ["unit 540000 is not in the sample of the indices: gdp_pc is a component of index res"]
    text = tibet_project["text"]
    assert (
        f"tibet_values_synthetic.csv: {n_standalone + n_components} read, {n_standalone} accepted "
        f"({n_standalone} of them for units outside the index sample: panel only, no index), "
        f"{n_components} rejected" in text
    )
    assert "1 unit(s) outside the index sample with standalone values in the panel" in text
    assert (
        f"warning: {n_components} input rows rejected: index component of a unit outside the index sample; "
        "first: tibet_values_synthetic.csv" in text
    )


def test_including_tibet_matches_pooled_ols_and_two_way_fe_computed_directly(tibet_project):
    warehouse = tibet_project["warehouse"]
    ours, without = estimates(warehouse, "tibet_in"), estimates(warehouse, "tibet_out")
    for include, fitted in ((True, ours), (False, without)):
        frame = regression_frame(warehouse, include, "market", X)
        assert (frame.unit_code == TIBET).sum() == (8 if include else 0)  # 2015-2023 minus the gap
        # pooled OLS with Stata's cluster-robust SE (reg, vce(cluster)): numpy
        design = np.column_stack([frame[X].to_numpy(float), np.ones(len(frame))])
        y = frame.market.to_numpy(float)
        beta = np.linalg.lstsq(design, y, rcond=None)[0]
        u = y - design @ beta
        bread = np.linalg.inv(design.T @ design)
        codes = frame.unit_code.to_numpy()
        meat = sum(
            np.outer(design[codes == g].T @ u[codes == g], design[codes == g].T @ u[codes == g]) for g in set(codes)
        )
        n, g, k = len(frame), len(set(codes)), design.shape[1]
        se = np.sqrt(np.diag(bread @ meat @ bread * g / (g - 1) * (n - 1) / (n - k)))
        np.testing.assert_allclose(fitted.loc[("(1)", "npr"), "estimate"], beta[0], rtol=1e-9)
        np.testing.assert_allclose(fitted.loc[("(1)", "npr"), "std_error"], se[0], rtol=1e-8)
        assert fitted.loc[("(1)", "npr"), "n_obs"] == n
        # two-way FE: coefficients from linearmodels, the xtreg-fe clustered SE from numpy
        lm = PanelOLS(
            frame.set_index(["unit_code", "year"]).market,
            frame.set_index(["unit_code", "year"])[X],
            entity_effects=True,
            time_effects=True,
        ).fit()
        np.testing.assert_allclose(fitted.loc[("(2)", "npr"), "estimate"], lm.params["npr"], rtol=1e-9)
        b, s = twoway_fe(frame, "market", X, "unit_code", "year")
        np.testing.assert_allclose(fitted.loc[("(2)", "npr"), "std_error"], s[0], rtol=1e-8)
    assert ours.loc[("(2)", "npr"), "n_obs"] == without.loc[("(2)", "npr"), "n_obs"] + 8
    assert abs(ours.loc[("(2)", "npr"), "estimate"] - without.loc[("(2)", "npr"), "estimate"]) > 1e-6


def test_a_regression_on_an_index_cannot_use_tibet_and_says_how_many_rows_that_cost(tibet_project):
    warehouse = tibet_project["warehouse"]
    ours, without = estimates(warehouse, "tibet_in"), estimates(warehouse, "tibet_out")
    pd.testing.assert_frame_equal(ours.loc["(3)"], without.loc["(3)"])  # Tibet has no res or dt
    counts = query(
        warehouse,
        "select column_name, name, value from results.diagnostics where study = 'tibet_in' "
        "and table_id = 't2' and name like 'n_rows_outside_index_sample_%' order by 1, 2",
    )
    got = {(r.column_name, r.name.rsplit("_", 1)[1]): int(r.value) for r in counts.itertuples()}
    assert got == {
        ("(1)", "lost"): 1,
        ("(1)", "used"): 8,
        ("(2)", "lost"): 1,
        ("(2)", "used"): 8,
        ("(3)", "lost"): 9,
        ("(3)", "used"): 0,
    }
    none = query(
        warehouse,
        "select count(*) as n from results.diagnostics where study = 'tibet_out' "
        "and name like 'n_rows_outside_index_sample_%'",
    ).n[0]
    assert none == 0


def test_both_samples_are_stated_in_results_runs_and_the_table_notes(tibet_project):
    runs = query(
        tibet_project["warehouse"], "select study, regression_sample, index_sample from results.runs order by 1"
    )
    row = runs.set_index("study").loc["tibet_in"]
    assert row.regression_sample == (
        "31 units; included 540000; of them outside the index sample (no index score, so regressions on an "
        "index cannot use their rows): 540000 (10 panel rows)"
    )
    assert row.index_sample == "the 30 in-sample units of the reference data (out: 540000)"
    assert (
        runs.set_index("study").loc["tibet_out"].regression_sample == "30 units; out by the panel's in_sample: 540000"
    )
    tables = list((tibet_project["folder"] / "output" / "tibet_in").rglob("*t2*.md"))
    assert tables, sorted(p.name for p in (tibet_project["folder"] / "output").rglob("*"))
    note = tables[0].read_text(encoding="utf-8")
    assert "used / left out for a missing variable such as an index, per column: (1) 8/1, (2) 8/1, (3) 0/9." in note
    assert "Index sample (as the catalog says, unchanged by the study): the 30 in-sample units" in note


def test_a_whole_user_run_leaves_the_repository_untouched(tibet_project):
    before, after = tibet_project["repo"]
    assert after == before


def test_quick_regressions_and_the_panel_api_default_to_the_index_sample(tibet_project):
    import cipanel as cp

    warehouse = tibet_project["warehouse"]
    assert len(cp.panel(warehouse)) == 30 * 10 and cp.panel(warehouse).in_sample.all()
    assert (cp.panel(warehouse, all_units=True).unit_code == TIBET).sum() == 10
    code, text = run_cli(["reg", "npr ~ fdep | unit_code + year", "--warehouse", str(warehouse)])
    assert code == 0, text
    assert "note: 10 rows of units outside the index sample left out; --all-units keeps them" in text
    assert "Number of obs = 300" in text
    code, text = run_cli(["reg", "npr ~ fdep | unit_code + year", "--warehouse", str(warehouse), "--all-units"])
    assert code == 0 and "Number of obs = 310" in text and "note:" not in text

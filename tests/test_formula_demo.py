"""The formula API on the SYNTHETIC demo warehouse: cp.panel, every regression / IV column of both
studies against the same call in Python, formulas inside study specs, pyfixest on the demo
panel, and `cipanel reg`."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pyfixest as pf
import pytest

import cipanel as cp
from cipanel import formula as fml
from cipanel.cli import main
from cipanel.pipeline import default_study_paths
from cipanel.study.runner import column_sample, run_study, run_table
from cipanel.study.spec import load_spec


@pytest.fixture(scope="module")
def demo_panel(demo_warehouse) -> pd.DataFrame:
    return cp.panel(demo_warehouse)


def same_numbers(result, model):
    assert list(model.params.index) == list(result.params.index)
    np.testing.assert_allclose(model.params, result.params, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(model.se, result.std_errors, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(model.pvalues, result.pvalues, rtol=1e-10, atol=1e-14)
    assert model.nobs == result.nobs
    assert model.result.r_squared == pytest.approx(result.r_squared, rel=1e-12)


def test_panel_reads_the_mart(demo_panel, demo_warehouse, tmp_path):
    assert {"unit_code", "year", "res", "dt"} <= set(demo_panel.columns)
    assert demo_panel.attrs["cipanel_panel"] == ("unit_code", "year")
    assert not demo_panel.duplicated(["unit_code", "year"]).any()
    with pytest.raises(Exception, match="not a cipanel project"):
        cp.panel(tmp_path)  # a folder without cipanel.yml
    from cipanel.init_project import init_project

    project = init_project(tmp_path / "fresh", "provinces")
    with pytest.raises(Exception, match="does not exist"):
        cp.panel(project)  # a project whose warehouse was never built


def test_every_study_column_equals_the_same_formula_in_python(demo_panel):
    """Each regression / IV column of study A and B, as the runner fits it (keys -> fit_panel /
    fit_iv), against cp.feols with the formula that says it, on the column's sample (unit trends
    as `| unit_code[year] + year`, Driscoll-Kraay as vcov='dk:2', a lead as the runner's column)."""
    checked = 0
    for path in default_study_paths():
        spec = load_spec(path, "en")
        entity, time = spec.panel["entity"], spec.panel["time"]
        for table in spec.tables:
            if table.kind not in ("regression", "iv"):
                continue
            fitted = run_table(demo_panel, spec, replace(table, inference={}), "en").columns
            per = 2 if table.kind == "iv" else 1
            for j, column in enumerate(table.columns):
                sample, model = column_sample(demo_panel, spec, table, column)
                text, vcov = fml.spec_formula(model, entity, time)
                if table.kind == "iv":
                    rhs = " + ".join([*model["instruments"], *model.get("controls", [])])
                    first = cp.feols(f"{model['treatment']} ~ {rhs} | {entity} + {time}", sample, vcov)
                    same_numbers(fitted[per * j].result, first)
                    second = cp.feols(text, sample, vcov)
                    same_numbers(fitted[per * j + 1].result, second)
                    d1, d2 = fitted[per * j + 1].result.diagnostics, second.result.diagnostics
                    for key in ("kp_rk_lm", "cd_wald_f", "kp_rk_wald_f", "endog_test_p"):
                        assert d1[key] == pytest.approx(d2[key], rel=1e-10)
                else:
                    same_numbers(fitted[j].result, cp.feols(text, sample, vcov))
                checked += 1
    assert checked >= 25


def test_formulas_and_expressions_in_a_study_spec(demo_panel, tmp_path):
    path = tmp_path / "spec.yml"
    path.write_text(
        """
study: s
panel: {relation: marts.fct_panel, entity: unit_code, time: year, years: [2015, 2023]}
model: {outcome: res, treatment: dt, controls: [market, npr], effects: twoway, cov: clustered}
tables:
  - id: t1
    columns:
      - {treatment: "dt + I(dt**2)"}
      - {controls: ["l(market, 1)", npr]}
      - {formula: "res ~ dt + market | unit_code + year + region_three_regions^year"}
      - {formula: "res ~ dt + market | year", cov: robust}
      - {estimator: fd}
  - id: t2
    kind: iv
    columns:
      - {formula: "res ~ market | unit_code + year | dt ~ iv_shift_share"}
""",
        encoding="utf-8",
    )
    spec = load_spec(path, "en")
    run = run_study(spec, demo_panel, "en")
    t1, t2 = run.tables
    sample = demo_panel[demo_panel.year.between(2015, 2023)]
    calls = [
        ("res ~ dt + I(dt**2) + market + npr | unit_code + year", "cluster:unit_code"),
        ("res ~ dt + l(market, 1) + npr | unit_code + year", "cluster:unit_code"),
        ("res ~ dt + market | unit_code + year + region_three_regions^year", "cluster:unit_code"),
        ("res ~ dt + market | year", "hetero"),
    ]
    for col, (formula, vcov) in zip(t1.columns, calls):
        same_numbers(col.result, cp.feols(formula, sample, vcov))
    fd = cp.feols("res ~ dt + market + npr | year", sample, "cluster:unit_code", estimator="fd")
    same_numbers(t1.columns[4].result, fd)
    assert "D.dt" in t1.columns[4].result.params.index and "D.dt" in t1.keep
    assert "I(dt ** 2)" in t1.keep and "dt" in t1.keep
    assert [c.year_fe for c in t1.columns] == [True, True, True, True, True]
    assert [c.unit_fe for c in t1.columns] == [True, True, True, False, False]  # fd: differenced
    second = cp.feols("res ~ market | unit_code + year | dt ~ iv_shift_share", sample, "cluster:unit_code")
    same_numbers(t2.columns[1].result, second)
    # the lag reaches 2014 (outside the years) only through the data given: here the sample
    assert t1.columns[1].result.nobs == cp.feols(calls[1][0], sample, calls[1][1]).nobs


def test_spec_formula_errors_are_spec_errors(demo_panel, tmp_path):
    from cipanel.study.spec import SpecError

    path = tmp_path / "spec.yml"
    path.write_text(
        """
study: s
panel: {relation: marts.fct_panel, entity: unit_code, time: year}
tables:
  - id: t1
    columns:
      - {formula: "res ~ dt + I(__import__('os').getcwd())"}
""",
        encoding="utf-8",
    )
    with pytest.raises(SpecError, match="only the functions"):
        run_study(load_spec(path, "en"), demo_panel, "en")
    path.write_text(path.read_text().replace("I(__import__('os').getcwd())", "x | a | b | c"))
    with pytest.raises(SpecError, match="at most two"):
        run_study(load_spec(path, "en"), demo_panel, "en")


@pytest.mark.parametrize(
    "formula, vcov, pf_vcov",
    [
        ("res ~ dt + market + npr | unit_code + year", "cluster:unit_code", {"CRV1": "unit_code"}),
        ("res ~ dt + market | unit_code + year", "cluster:unit_code+year", {"CRV1": "unit_code+year"}),
        # unit and region^year effects nested in the clusters: not counted (reghdfe, pyfixest)
        (
            "res ~ dt + market | unit_code + region_three_regions^year",
            "cluster:unit_code+year",
            {"CRV1": "unit_code+year"},
        ),
        ("res ~ dt*market + I(dt**2) + i(region_three_regions, dt, ref='east') | unit_code", "hetero", "HC1"),
    ],
)
def test_demo_panel_against_pyfixest(demo_panel, formula, vcov, pf_vcov):
    m = cp.feols(formula, demo_panel, vcov)
    p = pf.feols(formula, demo_panel, vcov=pf_vcov, fixef_tol=1e-12)
    coef, se = p.coef(), p.se()
    np.testing.assert_allclose(m.params[coef.index], coef, rtol=1e-7)
    np.testing.assert_allclose(m.se[coef.index], se, rtol=1e-7)
    assert m.nobs == p._N


def test_cipanel_reg_prints_one_table(demo_warehouse, capsys):
    rc = main(
        [
            "reg",
            "res ~ dt + market | unit_code + year",
            "--vcov",
            "cluster:unit_code",
            "--warehouse",
            str(demo_warehouse),
        ]
    )
    out = capsys.readouterr().out
    assert rc == 0
    m = cp.feols("res ~ dt + market | unit_code + year", cp.panel(demo_warehouse), "cluster:unit_code")
    assert f"{m.params['dt']:.6g}" in out and "30 clusters" in out


def test_cipanel_reg_project_folder(demo_warehouse, tmp_path, capsys):
    from cipanel.init_project import init_project
    from cipanel.project import find_project

    folder = init_project(tmp_path / "study", "provinces")
    warehouse = find_project(folder).warehouse  # where the project's cipanel.yml puts it
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    warehouse.write_bytes(demo_warehouse.read_bytes())
    assert main(["reg", "res ~ d(dt) | year", "--project", str(folder)]) == 0
    assert "D.dt" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args, message",
    [
        (["res ~ dt + nope"], "'nope'"),
        (["res ~ dt", "--vcov", "cluster:"], "vcov"),
        (["res ~ dt", "--where", "year >>> 1"], "error"),
        (["res ~ I(open('x'))"], "only the functions"),
    ],
)
def test_cipanel_reg_user_errors_are_one_line(demo_warehouse, capsys, args, message):
    rc = main(["reg", *args, "--warehouse", str(demo_warehouse)])
    err = capsys.readouterr().err
    assert rc == 2 and err.startswith("error:") and message in err and "Traceback" not in err


def test_spec_inference_blocks_take_formula_columns(demo_panel, tmp_path):
    """The table-level bootstrap runs on the column's fitted model (m.wild_bootstrap), so a
    formula column is bootstrapped on exactly its own design: the same p-value and CI as the
    cp.feols call in Python (before, the runner refused formula columns here)."""
    path = tmp_path / "spec.yml"
    path.write_text(
        """
study: s
panel: {relation: marts.fct_panel, entity: unit_code, time: year}
model: {outcome: res, treatment: dt}
tables:
  - id: t1
    wild_bootstrap: {B: 99, seed: 1}
    columns:
      - {formula: "res ~ dt + I(dt**2) | unit_code + year"}
""",
        encoding="utf-8",
    )
    spec = load_spec(path, "en")
    column = run_study(spec, demo_panel, "en").tables[0].columns[0]
    sample = demo_panel[demo_panel["in_sample"]] if "in_sample" in demo_panel else demo_panel  # no years set
    m = cp.feols("res ~ dt + I(dt**2) | unit_code + year", sample, "cluster:unit_code", drop_singletons=False)
    boot = m.wild_bootstrap("dt", B=99, seed=1)
    assert column.result.diagnostics["wcr_p"] == boot.p_value
    assert (column.result.diagnostics["wcr_ci_low"], column.result.diagnostics["wcr_ci_high"]) == (
        boot.ci_lower,
        boot.ci_upper,
    )

"""The `threshold` and `spatial` table kinds of the study spec: fit through the runner, rows in
results.* (tidy), tables through the output writers, the LR figure. SYNTHETIC panels."""

from __future__ import annotations

import sys
import types

import numpy as np
import pandas as pd
import pytest

from cipanel.estimators.spatial import fit_spatial
from cipanel.estimators.threshold import fit_threshold
from cipanel.estimators.threshold_sim import threshold_panel
from cipanel.output.notes import run_text
from cipanel.output.regression_tables import regression_grid, to_markdown
from cipanel.output.threshold_figures import plot_lr_curves
from cipanel.study.results import tidy
from cipanel.study.runner import run_study
from cipanel.study.spec import SpecError, load_spec

THRESHOLD_SPEC = """
study: s
panel: {relation: main.p, entity: unit, time: year}
model: {outcome: y, treatment: r, controls: [w]}
tables:
  - id: t8
    kind: threshold
    title: {en: Threshold effects, zh: 门槛效应}
    columns:
      - {title: Single, threshold: {qx: q, thnum: 1, grid: 100, bs: 49, trim: 0.05}}
      - {title: Double, threshold: {qx: q, thnum: 2, grid: 100, bs: [29, 29], trim: [0.05, 0.05]}}
"""

SPATIAL_SPEC = """
study: s
panel: {relation: main.p, entity: unit, time: year}
model: {outcome: y, treatment: r, controls: [w]}
tables:
  - id: t9
    kind: spatial
    columns:
      - {title: SDM, spatial: {model: sdm, fe: entity, weights: {kind: ring}, nsim: 50}}
"""


def _spec(tmp_path, text):
    path = tmp_path / "spec.yml"
    path.write_text(text, encoding="utf-8")
    return load_spec(path, lang="en")


def test_threshold_table_end_to_end(tmp_path):
    panel = threshold_panel(30, 10, gamma=0.5, seed=2)  # SYNTHETIC
    run = run_study(_spec(tmp_path, THRESHOLD_SPEC), panel, lang="en")
    table = run.tables[0]
    direct = fit_threshold(
        panel, "y", ["w"], rx="r", qx="q", entity="unit", time="year", grid=100, bs=49, trim=0.05, cov="clustered"
    )
    single = table.columns[0].result
    pd.testing.assert_series_equal(single.params, direct.params)
    assert single.diagnostics["th1"] == direct.estimates[0]
    assert single.diagnostics["single_p_value"] == direct.tests.loc["single", "p_value"]
    assert table.keep[:2] == ["0._cat#c.r", "1._cat#c.r"]
    md = to_markdown(regression_grid(table, "en"))
    assert "Threshold 1 [95% CI]" in md and "Single-threshold F [bootstrap p]" in md
    rows = tidy(run, run_text(run))
    est = rows["estimates"]
    assert set(est["term"]) >= {"0._cat#c.r", "1._cat#c.r", "2._cat#c.r", "w"}
    diag = rows["diagnostics"]
    assert {"th1", "th21", "th22", "double_f_stat"} <= set(diag["name"])
    assert set(run.threshold_fits) == {"t8 (1)", "t8 (2)"}
    path = plot_lr_curves(run.threshold_fits["t8 (2)"], tmp_path / "lr.png", synthetic=True, lang="en")
    assert path.stat().st_size > 1000


def test_threshold_spec_errors(tmp_path):
    bad = THRESHOLD_SPEC.replace("qx: q, thnum: 1", "qx: q, thnum: 1, colour: red")
    with pytest.raises(SpecError, match="threshold block: unknown key 'colour'"):
        run_study(_spec(tmp_path, bad), threshold_panel(10, 5), lang="en")
    nothing = THRESHOLD_SPEC.replace(
        "{title: Single, threshold: {qx: q, thnum: 1, grid: 100, bs: 49, trim: 0.05}}", "{title: Single}"
    )
    with pytest.raises(SpecError, match="a threshold column needs a 'threshold' block"):
        _spec(tmp_path, nothing)
    unbalanced = threshold_panel(10, 5).drop(index=[0])
    with pytest.raises(SpecError, match="threshold block: the panel threshold model needs a balanced panel"):
        run_study(_spec(tmp_path, THRESHOLD_SPEC), unbalanced, lang="en")


def _ring(n):
    w = np.zeros((n, n))
    for i in range(n):
        w[i, (i + 1) % n] = w[i, (i - 1) % n] = 0.5
    return w


def test_spatial_table_uses_the_weights_module(tmp_path, monkeypatch):
    panel = threshold_panel(12, 6, gamma=None, seed=4)  # SYNTHETIC
    calls = []

    def spatial_weights(kind, unit_codes, **options):  # stands in for cipanel.analytics.weights
        calls.append((kind, list(unit_codes)))
        return _ring(len(unit_codes)), list(unit_codes)

    module = types.ModuleType("cipanel.analytics.weights")
    module.spatial_weights = spatial_weights
    monkeypatch.setitem(sys.modules, "cipanel.analytics", types.ModuleType("cipanel.analytics"))
    monkeypatch.setitem(sys.modules, "cipanel.analytics.weights", module)
    run = run_study(_spec(tmp_path, SPATIAL_SPEC), panel, lang="en")
    assert calls == [("ring", list(range(12)))]
    col = run.tables[0].columns[0]
    direct = fit_spatial(panel, "y", ["r", "w"], entity="unit", time="year", w=_ring(12), nsim=50)
    pd.testing.assert_series_equal(col.result.params, direct.params)
    assert run.tables[0].keep == ["r", "W*r", "rho"]
    md = to_markdown(regression_grid(run.tables[0], "en"))
    assert "Indirect effect (SE)" in md and "LR SDM vs SEM [p]" in md
    assert "effect_indirect_r" in set(tidy(run, run_text(run))["diagnostics"]["name"])


def test_spatial_weights_are_row_standardised_unless_told_not_to(tmp_path, monkeypatch):
    panel = threshold_panel(12, 6, gamma=None, seed=4)  # SYNTHETIC
    module = types.ModuleType("cipanel.analytics.weights")
    module.spatial_weights = lambda kind, codes, **o: (2 * _ring(len(codes)), list(codes))  # rows sum to 2
    monkeypatch.setitem(sys.modules, "cipanel.analytics", types.ModuleType("cipanel.analytics"))
    monkeypatch.setitem(sys.modules, "cipanel.analytics.weights", module)
    col = run_study(_spec(tmp_path, SPATIAL_SPEC), panel, lang="en").tables[0].columns[0]
    direct = fit_spatial(panel, "y", ["r", "w"], entity="unit", time="year", w=_ring(12), nsim=50)
    pd.testing.assert_series_equal(col.result.params, direct.params)
    raw = SPATIAL_SPEC.replace("nsim: 50}", "nsim: 50, normalize: none}")
    col = run_study(_spec(tmp_path, raw), panel, lang="en").tables[0].columns[0]
    assert col.result.params["rho"] == pytest.approx(direct.params["rho"] / 2, rel=1e-5)


def test_threshold_rows_pair_each_threshold_with_its_own_confidence_set(tmp_path):
    from cipanel.study.threshold_columns import threshold_rows

    res = fit_threshold(
        threshold_panel(30, 10, gamma=0.5, seed=8),
        "y",
        ["w"],
        rx="r",
        qx="q",
        entity="unit",
        time="year",
        thnum=2,
        grid=100,
        trim=[0.05, 0.05],
    )
    rows = threshold_rows(res)
    for key in ("threshold_1", "threshold_2"):  # numbers (Stat); the output layer prints them
        lower, upper = rows[key].interval
        assert lower <= rows[key].value <= upper
    assert rows["threshold_1"].value < rows["threshold_2"].value

"""A table's inference options run on the fitted models' own methods, so a formula column gets
exactly the rows of the same model written with plain keys, and an expression column gets what
cp.feols(...).wild_bootstrap gives; gmm columns name their regressors without treatment /
controls. The firm panel is SYNTHETIC (tests/test_study.py)."""

from __future__ import annotations

import numpy as np
import pytest
from test_study import firm_panel

import cipanel as cp
from cipanel.estimators.gmm import GmmStyle, IvStyle
from cipanel.study.runner import run_study
from cipanel.study.spec import SpecError, load_spec

PLAIN = """
study: s
panel: {relation: main.firms, entity: firm, time: year}
model: {outcome: y, treatment: x, controls: [c]}
tables:
  - id: t1
    wild_bootstrap: {B: 999, seed: 1}
    placebo: {B: 99, seed: 1}
    group_tests:
      - {columns: ["(2)", "(3)"], methods: [interaction, permutation], B: 99, seed: 1}
    columns:
      - {COL}
      - {split: {variable: size, side: low}, COL}
      - {split: {variable: size, side: high}, COL}
"""
ROWS = ("wcr_p", "wcr_ci_low", "wcr_ci_high", "interaction_p", "perm_p", "placebo_share")


def _run(tmp_path, text: str):
    path = tmp_path / "s.yml"
    path.write_text(text, encoding="utf-8")
    return run_study(load_spec(path), firm_panel())


def test_formula_columns_get_the_inference_rows_of_plain_columns(tmp_path):
    plain = _run(tmp_path, PLAIN.replace(", COL", "").replace("{COL}", "{}")).tables[0]
    formula = _run(tmp_path, PLAIN.replace("COL", 'formula: "y ~ x + c | firm + year"')).tables[0]
    for a, b in zip(plain.columns, formula.columns):
        np.testing.assert_array_equal(a.result.params.drop("_cons"), b.result.params.drop("_cons"))
        for key in ROWS:
            assert (key in a.result.diagnostics) == (key in b.result.diagnostics), key
            if key in a.result.diagnostics:
                assert a.result.diagnostics[key] == b.result.diagnostics[key], key
    assert "perm_p" in formula.columns[2].result.diagnostics


def test_an_expression_column_is_bootstrapped_on_its_fitted_design(tmp_path):
    text = PLAIN.replace("treatment: x,", 'treatment: "x + I(x**2)",').replace(", COL", "").replace("{COL}", "{}")
    column = _run(tmp_path, text).tables[0].columns[0]
    m = cp.feols("y ~ x + I(x**2) + c | firm + year", firm_panel(), vcov="cluster:firm", panel=("firm", "year"))
    boot = m.wild_bootstrap("x", B=999, seed=1)
    assert column.result.diagnostics["wcr_p"] == boot.p_value
    assert column.result.diagnostics["wcr_ci_low"] == boot.ci_lower


GMM = """
study: s
panel: {relation: main.firms, entity: firm, time: year}
model: {outcome: y, treatment: x, controls: [c]}
tables:
  - id: g
    kind: gmm
    keep: [L.y, x]
    columns:
      - gmm: {REG gmmstyle: [{variables: L.y, lag_min: 1, lag_max: 2, collapse: true}], ivstyle: [{variables: x c}]}
"""


def test_gmm_columns_name_their_regressors_by_list_or_formula(tmp_path):
    listed = _run(tmp_path, GMM.replace("REG", 'regressors: "L.y x c",')).tables[0].columns[0]
    text = GMM.replace("REG", "").replace("  - gmm:", '  - formula: "y ~ l(y, 1) + x + c"\n        gmm:')
    written = _run(tmp_path, text).tables[0].columns[0]
    direct = cp.gmm(
        "y ~ L.y + x + c",
        firm_panel(),
        panel=("firm", "year"),
        gmm=[GmmStyle("L.y", 1, 2, collapse=True)],
        iv=[IvStyle("x c")],
        two_step=True,
    )
    for col in (listed, written):
        np.testing.assert_array_equal(col.result.params.to_numpy(), direct.params.to_numpy())
        np.testing.assert_array_equal(col.result.std_errors.to_numpy(), direct.se.to_numpy())
        assert col.controls and not col.unit_fe  # c not shown (keep); GMM differences the unit effects out


def test_treatment_on_a_gmm_column_with_regressors_is_a_spec_error(tmp_path):
    text = GMM.replace("REG", 'regressors: "L.y x c",').replace("  - gmm:", "  - treatment: c\n        gmm:")
    with pytest.raises(SpecError, match="'treatment' means nothing here"):
        _run(tmp_path, text)

"""Study specs say what cp.feols says for IV: any absorbed effects (a formula column) and
two-way clustering (`cluster: [a, b]`), each column equal to its cp.feols call. SYNTHETIC data
(tests/test_iv_hdfe.py)."""

from __future__ import annotations

import numpy as np
import pytest
from test_iv_hdfe import iv_panel

import cipanel as cp
from cipanel.output.regression_tables import regression_grid
from cipanel.study.runner import run_study
from cipanel.study.spec import SpecError, load_spec

SPEC = """
study: s
panel: {relation: main.ivs, entity: unit_code, time: year}
model: {outcome: y, treatment: d, controls: [x], instruments: [z1, z2]}
tables:
  - id: t1
    kind: iv
    columns:
      - {cluster: [unit_code, year]}
      - {formula: "y ~ x | unit_code + year + ind^year | d ~ z1 + z2", cluster: [unit_code, year]}
"""


def test_iv_columns_with_two_way_clusters_and_three_effects_equal_their_calls(tmp_path):
    path = tmp_path / "s.yml"
    path.write_text(SPEC, encoding="utf-8")
    df = iv_panel()
    table = run_study(load_spec(path, "en"), df, "en").tables[0]
    vcov = "cluster:unit_code+year"
    calls = [
        "d ~ z1 + z2 + x | unit_code + year",
        "y ~ x | unit_code + year | d ~ z1 + z2",
        "d ~ z1 + z2 + x | unit_code + year + ind^year",
        "y ~ x | unit_code + year + ind^year | d ~ z1 + z2",
    ]
    assert [c.role for c in table.columns] == ["iv_first", "iv_second"] * 2
    for column, formula in zip(table.columns, calls):
        m = cp.feols(formula, df, vcov, drop_singletons=False)
        assert column.result.nobs == m.nobs
        np.testing.assert_array_equal(column.result.params[m.params.index].to_numpy(), m.params.to_numpy())
        np.testing.assert_array_equal(column.result.std_errors[m.params.index].to_numpy(), m.se.to_numpy())
        assert column.result.n_clusters == df.year.nunique()  # the smaller G
    body = regression_grid(table, "en").body
    kp = next(row for row in body if row[0].startswith("Kleibergen-Paap rk LM"))
    assert kp[1] == "—"  # not computed with multi-way clusters, and said so
    assert any("multi-way" in n for n in table.columns[1].result.notes)


def test_a_cluster_list_must_name_columns(tmp_path):
    path = tmp_path / "s.yml"
    path.write_text(SPEC.replace("{cluster: [unit_code, year]}", "{cluster: [unit_code, 3]}"), encoding="utf-8")
    with pytest.raises(SpecError, match=r"columns\[0\]\.cluster: 3 is not a column name"):
        load_spec(path, "en")

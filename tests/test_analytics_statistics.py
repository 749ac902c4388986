"""The analytics statistics against independent computations: pairwise formulas written out
here, PySAL's `inequality` and `esda` on their published examples, and hypothesis-drawn panels."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cipanel.analytics import coupling, dagum, moran, theil


def pairwise_dagum(y, g):
    """Dagum (1997) term by term with explicit pair matrices (the O(n^2) definition)."""
    y, g = np.asarray(y, float), np.asarray(g).astype(str)
    n, m = y.size, y.mean()
    names = sorted(set(g), key=lambda r: -y[g == r].mean())
    part = {r: y[g == r] for r in names}
    p = {r: part[r].size / n for r in names}
    s = {r: part[r].size * part[r].mean() / (n * m) for r in names}
    G = np.abs(y[:, None] - y[None, :]).sum() / (2 * n * n * m)
    gjj = {
        r: np.abs(part[r][:, None] - part[r][None, :]).sum() / (2 * part[r].size ** 2 * part[r].mean()) for r in names
    }
    g_w = sum(gjj[r] * p[r] * s[r] for r in names)
    g_nb = g_t = 0.0
    gjh, djh = {}, {}
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            diff = part[a][:, None] - part[b][None, :]
            gjh[a, b] = np.abs(diff).sum() / (part[a].size * part[b].size * (part[a].mean() + part[b].mean()))
            d, q = np.clip(diff, 0, None).mean(), np.clip(-diff, 0, None).mean()
            djh[a, b] = (d - q) / (d + q) if d + q > 0 else 0.0
            w = p[a] * s[b] + p[b] * s[a]
            g_nb += gjh[a, b] * w * djh[a, b]
            g_t += gjh[a, b] * w * (1 - djh[a, b])
    return G, g_w, g_nb, g_t, gjj, gjh, djh


def test_pair_sums_equal_the_double_loop():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=37), rng.normal(size=23)
    b[:5] = a[:5]  # ties between the two sets
    total, positive = dagum.pair_sums(a, b)
    diff = a[:, None] - b[None, :]
    assert total == pytest.approx(np.abs(diff).sum(), rel=1e-13)
    assert positive == pytest.approx(np.clip(diff, 0, None).sum(), rel=1e-13)


def test_dagum_matches_the_pairwise_definition_term_by_term():
    rng = np.random.default_rng(7)
    y = rng.lognormal(size=60)
    g = rng.choice(["east", "central", "west", "northeast"], size=60)
    overall, rows = dagum.decompose(y, g)
    G, g_w, g_nb, g_t, gjj, gjh, djh = pairwise_dagum(y, g)
    assert overall["gini"] == pytest.approx(G, rel=1e-12)
    assert overall["g_within"] == pytest.approx(g_w, rel=1e-12)
    assert overall["g_net_between"] == pytest.approx(g_nb, rel=1e-12)
    assert overall["g_transvariation"] == pytest.approx(g_t, rel=1e-12)
    for r in rows.itertuples():
        if r.kind == "within":
            assert r.gini == pytest.approx(gjj[r.region_a], rel=1e-12)
        else:
            assert r.gini == pytest.approx(gjh[r.region_a, r.region_b], rel=1e-12)
            assert r.d_jh == pytest.approx(djh[r.region_a, r.region_b], rel=1e-12, abs=1e-15)
            assert r.mean_a >= r.mean_b  # D_jh is stated for the richer region first
    assert len(rows) == 4 + 6


def test_dagum_gini_equals_pysal_inequality_on_its_mexico_example():
    """PySAL inequality's Gini (sorted-rank formula, an independent implementation) on the
    Mexican states' per-capita GDP of 1940 that its documentation uses."""
    libpysal = pytest.importorskip("libpysal")
    from inequality.gini import Gini

    f = libpysal.io.open(libpysal.examples.get_path("mexico.csv"))
    y = np.array(f.by_col["pcgdp1940"], dtype=float)
    regimes = np.array(f.by_col("hanson98"))
    overall, _ = dagum.decompose(y, regimes)
    assert overall["gini"] == pytest.approx(Gini(y).g, rel=1e-12)
    total = overall["g_within"] + overall["g_net_between"] + overall["g_transvariation"]
    assert total == pytest.approx(overall["gini"], rel=1e-13)


@settings(max_examples=60, deadline=None)
@given(
    y=arrays(np.float64, st.integers(2, 40), elements=st.floats(0.001, 1000, allow_nan=False)),
    k=st.integers(1, 5),
    seed=st.integers(0, 2**31 - 1),
)
def test_dagum_components_add_up_and_equal_the_plain_gini(y, k, seed):
    g = np.random.default_rng(seed).integers(0, k, size=y.size).astype(str)
    overall, rows = dagum.decompose(y, g)
    plain = np.abs(y[:, None] - y[None, :]).sum() / (2 * y.size**2 * y.mean())
    assert overall["gini"] == pytest.approx(plain, rel=1e-10, abs=1e-14)
    total = overall["g_within"] + overall["g_net_between"] + overall["g_transvariation"]
    assert total == pytest.approx(overall["gini"], rel=1e-12, abs=1e-15)
    assert 0 <= overall["gini"] < 1
    assert (rows.loc[rows.kind == "between", "d_jh"].between(-1e-12, 1 + 1e-12)).all()


def test_dagum_rejects_what_it_cannot_measure():
    with pytest.raises(ValueError, match="positive mean"):
        dagum.decompose([0.0, 0.0, 0.0], ["a", "b", "a"])
    with pytest.raises(ValueError, match="finite"):
        dagum.decompose([1.0, np.nan], ["a", "b"])


def test_theil_matches_pysal_inequality_published_mexico_numbers():
    """inequality.theil docs: T = 0.20894344, between = 0.0345889, within = 0.17435454 for 1940."""
    libpysal = pytest.importorskip("libpysal")
    f = libpysal.io.open(libpysal.examples.get_path("mexico.csv"))
    y = np.array(f.by_col["pcgdp1940"], dtype=float)
    regimes = np.array(f.by_col("hanson98")).astype(int).astype(str)
    overall, _ = theil.decompose(y, regimes)
    assert round(overall["theil"], 8) == 0.20894344
    assert round(overall["t_between"], 7) == 0.0345889
    assert round(overall["t_within"], 8) == 0.17435454


@settings(max_examples=60, deadline=None)
@given(
    y=arrays(np.float64, st.integers(2, 40), elements=st.floats(0.001, 1000, allow_nan=False)),
    k=st.integers(1, 5),
    seed=st.integers(0, 2**31 - 1),
)
def test_theil_split_is_exact(y, k, seed):
    g = np.random.default_rng(seed).integers(0, k, size=y.size).astype(str)
    overall, rows = theil.decompose(y, g)
    r = y / y.mean()
    assert overall["theil"] == pytest.approx(np.mean(r * np.log(r)), rel=1e-10, abs=1e-14)
    assert overall["t_within"] + overall["t_between"] == pytest.approx(overall["theil"], rel=1e-9, abs=1e-13)
    assert rows["contribution"].sum() == pytest.approx(overall["t_within"], rel=1e-12, abs=1e-15)


def test_theil_names_the_unit_with_a_non_positive_value():
    with pytest.raises(ValueError, match="unit 440000 has 0.0"):
        theil.decompose([1.0, 0.0], ["a", "b"], units=["110000", "440000"])


# ---------------------------------------------------------------- Moran


def _stl():
    libpysal = pytest.importorskip("libpysal")
    w = libpysal.io.open(libpysal.examples.get_path("stl.gal")).read()
    f = libpysal.io.open(libpysal.examples.get_path("stl_hom.txt"))
    y = np.array(f.by_col["HR8893"], dtype=float)
    W, ids = w.full()
    W = W / W.sum(axis=1, keepdims=True)  # esda's default transformation "r", done here
    return y, W, [str(i) for i in ids]


def test_global_moran_matches_esda_published_st_louis_example_and_the_matrix_formula():
    """esda docs: St Louis homicide rates 1988-93, rook weights: I = 0.244, E[I] = -1/77,
    two-sided normal p = 0.00027147862770937614."""
    y, W, ids = _stl()
    result = moran.global_moran(y, W, ids, permutations=99)
    assert round(result["moran_i"], 3) == 0.244
    assert result["expected_i"] == pytest.approx(-1 / 77, rel=1e-12)
    assert result["p_norm"] == pytest.approx(0.00027147862770937614, rel=1e-9)
    assert result["moran_i"] == pytest.approx(moran.moran_matrix(y, W), rel=1e-12)
    assert 0 < result["p_sim"] <= 1


def test_global_permutation_test_agrees_with_esdas_own():
    """Our vectorised draws against esda's loop (both 9,999 permutations, different streams)."""
    from esda.moran import Moran

    y, W, ids = _stl()
    ours = moran.global_moran(y, W, ids, permutations=9999, seed=2)
    np.random.seed(2)
    theirs = Moran(y, moran.pysal_weights(W, ids), transformation="o", permutations=9999)
    assert ours["p_sim"] == pytest.approx(theirs.p_sim, abs=0.002)
    assert ours["z_sim"] == pytest.approx(theirs.z_sim, abs=0.1)
    # a variable with no spatial pattern: p_sim is large
    rng = np.random.default_rng(0)
    assert moran.global_moran(rng.permutation(y), W, ids, permutations=999)["p_sim"] > 0.01


def test_kde_density_is_scipys_gaussian_kde():
    from scipy.stats import gaussian_kde

    from cipanel.analytics import kde

    x = np.random.default_rng(4).lognormal(size=200)
    grid = np.linspace(-1, 8, 50)
    for rule in ("silverman", "scott", 0.3):
        h = kde.bandwidth_of(x, rule)
        np.testing.assert_allclose(kde.density(x, grid, h), gaussian_kde(x, bw_method=rule)(grid), rtol=1e-10)
    n, sd = x.size, x.std(ddof=1)
    assert kde.bandwidth_of(x, "silverman") == pytest.approx(sd * (n * 3 / 4) ** (-1 / 5), rel=1e-12)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(5, 40))
def test_global_moran_equals_the_matrix_formula_on_random_weights(seed, n):
    rng = np.random.default_rng(seed)
    y = rng.normal(size=n)
    A = (rng.random((n, n)) < 0.3).astype(float)
    A = np.triu(A, 1)
    A = A + A.T
    A[np.arange(n), (np.arange(n) + 1) % n] = A[(np.arange(n) + 1) % n, np.arange(n)] = 1  # no islands
    W = A / A.sum(axis=1, keepdims=True)
    ids = [f"u{i}" for i in range(n)]
    got = moran.global_moran(y, W, ids, permutations=0)["moran_i"]
    assert got == pytest.approx(moran.moran_matrix(y, W), rel=1e-10, abs=1e-12)


def test_local_moran_sums_to_the_global_statistic_and_labels_quadrants():
    y, W, ids = _stl()
    local = moran.local_moran(y, W, ids, permutations=99, seed=1)
    # with row-standardised W: sum_i I_i / n ... esda scales I_i by (n-1)/sum z^2, so
    # sum I_i = (n-1)/n * n * I = (n-1) I  for S0 = n
    n = len(y)
    assert local["local_i"].sum() == pytest.approx((n - 1) * moran.moran_matrix(y, W), rel=1e-10)
    z = y - y.mean()
    lag = W @ z
    expect = np.where(z > 0, np.where(lag > 0, "HH", "HL"), np.where(lag > 0, "LH", "LL"))
    assert (local["quadrant"].to_numpy() == expect).all()
    assert set(local["cluster"]) <= {"HH", "LH", "LL", "HL", "ns"}
    assert ((local["cluster"] == "ns") | (local["p_sim"] < 0.05)).all()


def test_local_permutation_p_values_match_exact_enumeration():
    """Conditional randomisation enumerated exactly on a small map: every ordered draw of unit
    i's neighbours from the other units; the Monte Carlo p-values are within sampling error."""
    from itertools import permutations

    rng = np.random.default_rng(3)
    n = 7
    y = rng.normal(size=n)
    A = np.zeros((n, n))
    for i, j in [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 0), (0, 3), (2, 5)]:
        A[i, j] = A[j, i] = 1
    W = A / A.sum(axis=1, keepdims=True)
    z = (y - y.mean()) / y.std()
    R = 20000
    got = moran.conditional_p(z, W, R, seed=11)
    for i in range(n):
        nb = np.flatnonzero(W[i])
        others = [j for j in range(n) if j != i]
        obs = z[i] * (W[i] @ z)
        draws = [z[i] * (W[i, nb] @ z[list(d)]) for d in permutations(others, len(nb))]
        ge = np.mean(np.array(draws) >= obs - 1e-12)
        exact = min(ge, 1 - ge)
        assert got[i] == pytest.approx(exact, abs=4 * np.sqrt(0.25 / R) + 1 / R), i


def test_local_moran_statistic_is_the_formula():
    """I_i = (n - 1) z_i (W z)_i / sum z^2 (esda's scaling), z = y - mean."""
    y, W, ids = _stl()
    ours = moran.local_moran(y, W, ids, permutations=0)
    z = y - y.mean()
    np.testing.assert_allclose(ours["local_i"], (len(y) - 1) * z * (W @ z) / (z @ z), rtol=1e-10)
    assert ours["p_sim"].isna().all() and (ours["cluster"] == "ns").all()


# ---------------------------------------------------------------- coupling


def test_coupling_two_systems_by_hand():
    U = np.array([[0.4, 0.6], [0.5, 0.5], [0.0, 0.8], [0.0, 0.0]])
    out = coupling.coupling_coordination(U)
    # corrected C for n = 2: sqrt((1 - |U1 - U2|) * min/max)
    expect_c = np.sqrt([(1 - 0.2) * (0.4 / 0.6), 1.0, 0.0, 1.0])
    np.testing.assert_allclose(out["C"], expect_c, rtol=1e-14)
    np.testing.assert_allclose(out["T"], [0.5, 0.5, 0.4, 0.0])
    np.testing.assert_allclose(out["D"], np.sqrt(expect_c * [0.5, 0.5, 0.4, 0.0]), rtol=1e-14)
    assert list(out["level"]) == [7, 8, 1, 1]  # D = 0.6532, 0.7071, 0, 0


def test_coupling_levels_at_the_boundaries():
    assert list(coupling.level(np.array([0.0, 0.0999, 0.1, 0.3, 0.5, 0.8999, 0.9, 1.0]))) == [1, 1, 2, 4, 6, 9, 10, 10]


@settings(max_examples=100, deadline=None)
@given(
    U=arrays(np.float64, st.tuples(st.integers(1, 30), st.integers(2, 4)), elements=st.floats(0, 1)),
    raw=st.lists(st.floats(0.01, 1), min_size=4, max_size=4),
)
def test_coupling_stays_in_range_for_any_number_of_systems(U, raw):
    a = np.array(raw[: U.shape[1]])
    out = coupling.coupling_coordination(U, weights=a / a.sum())
    for key in ("C", "T", "D"):
        assert np.all((out[key] >= 0) & (out[key] <= 1 + 1e-12)), key
    equal = np.ptp(U, axis=1) == 0
    assert np.allclose(out["C"][equal], 1.0)
    assert np.all((out["level"] >= 1) & (out["level"] <= 10))


def test_coupling_traditional_form_warns_and_is_less_discriminating():
    U = np.array([[0.2, 0.5, 0.8], [0.45, 0.5, 0.55]])
    with pytest.warns(UserWarning, match="traditional"):
        old = coupling.coupling_degree(U, "traditional")
    new = coupling.coupling_degree(U)
    np.testing.assert_allclose(old, 3 * np.cbrt(U.prod(axis=1)) / U.sum(axis=1))
    assert old[0] > 0.85  # very unequal systems (0.2, 0.5, 0.8) still look "highly coupled"
    assert new[0] < 0.5 and new[1] > 0.85
    assert old[1] - old[0] < (new[1] - new[0]) / 2  # the corrected form separates the two rows


def test_coupling_rejects_bad_weights_and_forms():
    with pytest.raises(coupling.CouplingError, match="summing to 1"):
        coupling.coupling_coordination(np.ones((2, 2)) / 2, weights=[0.7, 0.7])
    with pytest.raises(coupling.CouplingError, match="not known"), warnings.catch_warnings():
        coupling.coupling_degree(np.ones((1, 2)), "ratio")

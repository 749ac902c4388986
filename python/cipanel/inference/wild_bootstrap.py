"""Wild cluster bootstrap for one coefficient: WCR for OLS / FE, WRE for IV-2SLS.

Conventions (docs/methods.md §3.1-3.2, §4.1): the reported t is the Stata one, clustered with
G/(G-1)*(N-1)/(N-K), K = regressors + time dummies + constant (entity effects only when they are
not nested in the clusters, as reghdfe). The factor cancels in the bootstrap p-value, which is the
symmetric two-tailed share P(|t*| > |t|) of fwildclusterboot/boottest (`p_val_type="two-tailed"`,
strict inequality, no t(G-1) anywhere). Ties (under full enumeration the draws v = +-1 reproduce
|t| exactly) are resolved with a relative tolerance of 1e-9 instead of by rounding noise, so they
never count as exceedances. Confidence intervals invert the test: {b0 : p(b0) > 1 - level}, the
bounds found by bisection on p(b0) with the draws held fixed (Roodman et al. 2019).

Fixed effects are partialled out first (Frisch-Waugh-Lovell) when they are nested in the clusters:
then M_D(u * v) = (M_D u) * v for weights v constant within a cluster, so the bootstrap on the
demeaned data is exactly the bootstrap with dummies. Effects that are not nested (time effects
when clustering by unit) are kept as explicit dummy columns; demeaning them away would change the
bootstrap residuals. Entity effects are dummies too when the clusters do not contain the units.

Vectorisation ("fast and wild", Roodman et al. 2019): per-cluster scores X_g'u and X_g'X_g pieces
are computed once; each block of draws V (b x G) then costs a few (b x G) @ (G x k) products. With
the null b0 the restricted residuals are affine in b0, so the test inversion of the WCR needs only
five numbers per draw. The WRE (Davidson & MacKinnon 2010) for 2SLS with one endogenous regressor
is recomputed per b0 (its first stage depends on b0) with the same draws.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import special  # t quantiles as scipy.stats.t.ppf computes them, without its 1 s import

from ..estimators import _core
from ..estimators.covariance import small_sample_factor
from .choices import WEIGHTS

WEBB_VALUES = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])
_CHUNK = 4096  # draws generated per block: bounds memory for any B; fixed, so that results
_BLAS_MIN = 250_000  # never depend on how the work is split (see _blocks)
_TIE_RTOL = 1e-9

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class BootResult:
    """A wild bootstrap test of `param` = `null` and the test-inversion confidence interval.

    t_stat is the clustered t of (estimate - null) in Stata's small-sample convention; p_value is
    the bootstrap two-tailed p-value; B the number of draws used (2^G under full enumeration);
    t_boot the bootstrap t statistics under the null (kept for diagnostics)."""

    estimate: float
    t_stat: float
    p_value: float
    ci_lower: float
    ci_upper: float
    B: int
    weights: str
    seed: int | None
    method: str
    param: str = ""
    null: float = 0.0
    level: float = 0.95
    n_clusters: int = 0
    full_enumeration: bool = False
    t_boot: np.ndarray | None = field(default=None, repr=False, compare=False)


# ---------------------------------------------------------------- draws and progress


def _blocks(
    B: int, G: int, weights: str, seed: int | None, enumerate_all: bool, draws: np.ndarray | None, width: int = 0
):
    """Yield the B x G weight matrix in row blocks. Draws are generated in fixed blocks of
    `_CHUNK` rows (the same stream whatever the caller), then cut into pieces of about
    _BLAS_MIN / width rows: OpenBLAS multithreads products above ~2.6e5 multiply-adds and on a
    busy 2-core machine that made them 25x slower (measured)."""
    rows = max(32, _BLAS_MIN // max(width, 1)) if width else _CHUNK
    rng = np.random.default_rng(seed) if draws is None and not enumerate_all else None
    for start in range(0, B, _CHUNK):
        b = min(_CHUNK, B - start)
        if draws is not None:
            block = draws[start : start + b]
        elif enumerate_all:  # row i = the binary digits of i as signs
            i = np.arange(start, start + b)[:, None]
            block = ((i >> np.arange(G)) & 1) * 2.0 - 1.0
        elif weights == "rademacher":
            block = rng.integers(0, 2, size=(b, G)) * 2.0 - 1.0
        else:
            block = WEBB_VALUES[rng.integers(0, 6, size=(b, G))]
        for i in range(0, b, rows):
            yield block[i : i + rows]


def draw_weights(B: int, G: int, weights: str = "rademacher", seed: int | None = None) -> np.ndarray:
    """The B x G matrix of cluster weights the bootstrap uses for this seed (row = one draw).
    Rademacher: +-1 with probability 1/2; Webb: +-sqrt(1/2), +-1, +-sqrt(3/2), each 1/6."""
    _check_weights(weights)
    return np.vstack(list(_blocks(B, G, weights, seed, False, None)))


def _check_weights(weights: str) -> None:
    if weights not in WEIGHTS:
        raise ValueError(f"weights must be one of {WEIGHTS}, got {weights!r}")


def progress_printer(stage: str, done: int, total: int) -> None:
    """Default progress callback (progress=True): one updating line on stderr (total 0 means
    unknown)."""
    print(
        f"\r{stage}: {done}" + (f"/{total}" if total else ""),
        end="\n" if total and done >= total else "",
        file=sys.stderr,
        flush=True,
    )


def _progress(progress: bool | Progress | None) -> Progress | None:
    if progress is True:
        return progress_printer
    return progress or None


def _reporting(blocks, prog: Progress | None, stage: str, total: int):
    """Pass blocks of draws through, reporting the running count every `_CHUNK` draws."""
    done = 0
    for V in blocks:
        yield V
        done += len(V)
        if prog and (done % _CHUNK == 0 or done == total):
            prog(stage, done, total)


def _setup_draws(B: int, G: int, weights: str, seed: int | None, draws, full_enumeration, level: float = 0.95):
    """Resolve the draw scheme: user draws, full enumeration (Rademacher, 2^G <= B) or random."""
    _check_weights(weights)
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got {level}")
    if G > 62 and full_enumeration:
        raise ValueError(f"cannot enumerate 2^{G} draws")
    if draws is not None:
        draws = np.asarray(draws, dtype=float)
        if draws.ndim != 2 or draws.shape[1] != G:
            raise ValueError(f"draws must be a (B, {G}) array, got shape {draws.shape}")
        return draws.shape[0], None, False, draws
    if B < 1:
        raise ValueError(f"B must be >= 1, got {B}")
    enum = (weights == "rademacher" and 2**G <= B) if full_enumeration is None else bool(full_enumeration)
    if enum and weights != "rademacher":
        raise ValueError("full enumeration needs Rademacher weights")
    if enum:
        return 2**G, None, True, None
    if seed is None:  # draw one so the result can be reproduced
        seed = int(np.random.SeedSequence().entropy % (2**63))
    return B, seed, False, None


def _pvalue(t: float, t_boot: np.ndarray) -> float:
    return float(np.mean(np.abs(t_boot) > abs(t) * (1 + _TIE_RTOL)))


def _invert(
    pfun: Callable[[float], float],
    est: float,
    se: float,
    alpha: float,
    q: float,
    rel_tol: float = 1e-7,
    max_doublings: int = 40,
) -> tuple[float, float]:
    """Bounds of {b0 : p(b0) > alpha}: step out from the estimate (p = 1 there) by doubling
    multiples of q*se until p <= alpha, then bisect. No crossing -> infinite bound."""
    out = []
    for side in (-1.0, 1.0):
        inside, step, outside = est, q * se, None
        for _ in range(max_doublings):
            cand = est + side * step
            if pfun(cand) <= alpha:
                outside = cand
                break
            inside, step = cand, 2 * step
        if outside is None:
            out.append(side * np.inf)
            continue
        while abs(outside - inside) > rel_tol * se:
            mid = 0.5 * (inside + outside)
            if pfun(mid) > alpha:
                inside = mid
            else:
                outside = mid
        out.append(0.5 * (inside + outside))
    return float(out[0]), float(out[1])


# ---------------------------------------------------------------- design from a DataFrame


@dataclass
class _Design:
    cols: dict[str, np.ndarray]  # named columns (y, regressors, instruments), FE-transformed
    X: np.ndarray  # exogenous design: user columns first, then time/entity dummies or constant
    clusters: _core.Grouping
    ssc: float
    n: int


def _design(
    df: pd.DataFrame, cols: list[str], exog: list[str], *, entity, time, effects, cluster, n_endog: int
) -> _Design:
    """Sample, FE handling and the small-sample factor, matching fit_panel / fit_iv."""
    if effects not in _core.EFFECTS:
        raise ValueError(f"effects must be one of {_core.EFFECTS}, got {effects!r}")
    if effects != "none" and entity is None:
        raise ValueError(f"effects={effects!r} needs the entity column")
    if effects == "twoway" and time is None:
        raise ValueError("effects='twoway' needs the time column")
    cl_col = cluster or entity
    if cl_col is None:
        raise ValueError("give cluster= (or entity=) for the wild cluster bootstrap")
    s = _core.prepare(df, list(dict.fromkeys([*cols, *exog])), entity=entity, time=time, cluster=cl_col)
    n, cl = s.nobs, s.cluster
    if cl.n < 2:
        raise ValueError(f"too few clusters: {cl.n}")
    ent = s.entity if effects != "none" else None
    absorb = ent is not None and _core.is_nested(ent, cl)
    extra = [_core.time_dummies(s.time.codes)] if effects == "twoway" else []
    if ent is not None and not absorb:  # entity effects not nested in the clusters: dummies
        d = np.zeros((n, ent.n))
        d[np.arange(n), ent.codes] = 1.0
        extra.append(d[:, 1:])
    if not absorb:
        extra.append(np.ones((n, 1)))
    raw = np.hstack([s.matrix(exog), *extra])
    tr = ent.demean if absorb else (lambda a: a)
    X = tr(raw)
    keep = _core.independent_columns(X.T @ X, np.einsum("ij,ij->j", raw, raw))
    lost = [exog[j] for j in range(len(exog)) if j not in set(keep.tolist())]
    if lost:
        raise ValueError(
            f"regressor(s) {lost} are collinear with the fixed effects, the constant or other regressors; remove them"
        )
    n_time = extra[0].shape[1] if effects == "twoway" else 0
    n_time_kept = int(np.sum((keep >= len(exog)) & (keep < len(exog) + n_time)))
    X = X[:, keep]
    k_fit = n_endog + len(exog) + n_time_kept + 1  # + constant; entity effects via cluster_k
    k_ssc, _ = _core.cluster_k(s, effects, k_fit, n_time_kept)
    if n - k_ssc <= 0 or n <= X.shape[1]:
        raise ValueError(f"no residual degrees of freedom: {n} observations, K = {k_ssc}")
    ssc = small_sample_factor(n, k_ssc, cl.n)
    named = {c: tr(s.col(c)) for c in cols}
    return _Design(named, X, cl, ssc, n)


# ---------------------------------------------------------------- WCR for OLS / FE


class _WCR:
    """Precomputed pieces of the restricted wild cluster bootstrap for coefficient j of y on X.

    For draw v the numerator is c'v and the CRVE of the draw is ssc * sum_g Z_g^2 with
    Z = v * c - H v, c_g = a's_g, H_gh = a'X_g'X_g (X'X)^-1 s_h (a = (X'X)^-1 e_j, s_g = X_g'u_r).
    H = W S' has rank k, so V H' = (V S) W' costs O(B G k), not O(B G^2). With the null b0
    imposed the restricted residuals are r0 - b0 r1, so S, c and Z are affine in b0."""

    def __init__(self, X: np.ndarray, y: np.ndarray, cl: _core.Grouping, j: int, ssc: float) -> None:
        A = _core.sym_inv(_core.crossprod(X))
        a = A[:, j]
        beta = A @ _core.crossprod(X, y)
        u = y - X @ beta
        self.estimate = float(beta[j])
        self.se = float(np.sqrt(ssc * np.sum((cl.sums(X * u[:, None]) @ a) ** 2)))
        self.ssc = ssc
        X1, xj = np.delete(X, j, axis=1), X[:, j]
        if X1.shape[1]:
            p1 = _core.sym_inv(_core.crossprod(X1)) @ X1.T
            r0, r1 = y - X1 @ (p1 @ y), xj - X1 @ (p1 @ xj)
        else:
            r0, r1 = y, xj
        self.s0, self.s1 = cl.sums(X * r0[:, None]), cl.sums(X * r1[:, None])  # G x k scores
        self.w = cl.sums(X * (X @ a)[:, None]) @ A  # row g: a' X_g'X_g (X'X)^-1
        self.a = a
        self.c0, self.c1 = self.s0 @ a, self.s1 @ a

    def accumulate(self, V: np.ndarray) -> np.ndarray:
        """(5, b): numerator pieces n0, n1 and CRVE sums of squares q00, q01, q11 per draw."""
        vs0, vs1 = V @ self.s0, V @ self.s1
        z0 = V * self.c0 - vs0 @ self.w.T
        z1 = V * self.c1 - vs1 @ self.w.T
        return np.stack(
            [
                vs0 @ self.a,
                vs1 @ self.a,
                np.einsum("bg,bg->b", z0, z0),
                np.einsum("bg,bg->b", z0, z1),
                np.einsum("bg,bg->b", z1, z1),
            ]
        )

    def t_boot(self, acc: np.ndarray, b0: float) -> np.ndarray:
        n0, n1, q00, q01, q11 = acc
        var = self.ssc * np.maximum(q00 - 2 * b0 * q01 + b0 * b0 * q11, 1e-300)
        return (n0 - b0 * n1) / np.sqrt(var)


def _run_wcr(
    X, y, cl, j, ssc, name, *, null, B, weights, seed, level, ci, draws, full_enumeration, progress
) -> BootResult:
    G = cl.n
    B, seed, enum, draws = _setup_draws(B, G, weights, seed, draws, full_enumeration, level)
    prog = _progress(progress)
    w = _WCR(X, y, cl, j, ssc)
    blocks = _blocks(B, G, weights, seed, enum, draws, width=G * (2 * X.shape[1] + 2))
    acc = np.hstack([w.accumulate(V) for V in _reporting(blocks, prog, "WCR draws", B)])

    def pfun(b0: float) -> float:
        return _pvalue((w.estimate - b0) / w.se, w.t_boot(acc, b0))

    lo = hi = np.nan
    if ci:
        lo, hi = _invert(pfun, w.estimate, w.se, 1 - level, special.stdtrit(G - 1, 0.5 + level / 2))
    return BootResult(
        estimate=w.estimate,
        t_stat=(w.estimate - null) / w.se,
        p_value=pfun(null),
        ci_lower=lo,
        ci_upper=hi,
        B=B,
        weights=weights,
        seed=seed,
        param=name,
        null=null,
        level=level,
        n_clusters=G,
        full_enumeration=enum,
        t_boot=w.t_boot(acc, null),
        method=f"WCR wild cluster bootstrap ({weights}, {'all' if enum else B} draws, "
        "null imposed, two-tailed symmetric p)",
    )


def wild_cluster_bootstrap(
    df: pd.DataFrame,
    y: str,
    x: list[str] | str,
    param: str | None = None,
    *,
    entity: str | None = None,
    time: str | None = None,
    effects: str = "twoway",
    cluster: str | None = None,
    null: float = 0.0,
    B: int = 9999,
    weights: str = "rademacher",
    seed: int | None = None,
    level: float = 0.95,
    ci: bool = True,
    full_enumeration: bool | None = None,
    draws: np.ndarray | None = None,
    progress: bool | Progress = False,
) -> BootResult:
    """WCR test of `param` = `null` (default the first of `x`) in the model of fit_panel.

    Same sample, effects and clustering as `fit_panel(df, y, x, entity=, time=, effects=,
    cov="clustered", cluster=)`, so t_stat equals its t for null=0. full_enumeration=None
    enumerates all 2^G Rademacher draws when 2^G <= B (deterministic); `draws` supplies a (B, G)
    weight matrix (clusters in sorted order) instead of drawing; progress=True prints progress,
    or pass a callable(stage, done, total)."""
    x = [x] if isinstance(x, str) else list(x)
    param = x[0] if param is None else param
    if param not in x:
        raise ValueError(f"param {param!r} is not among the regressors {x}")
    d = _design(df, [y], x, entity=entity, time=time, effects=effects, cluster=cluster, n_endog=0)
    return _run_wcr(
        d.X,
        d.cols[y],
        d.clusters,
        x.index(param),
        d.ssc,
        param,
        null=null,
        B=B,
        weights=weights,
        seed=seed,
        level=level,
        ci=ci,
        draws=draws,
        full_enumeration=full_enumeration,
        progress=progress,
    )


def wcr_arrays(
    X: np.ndarray,
    y: np.ndarray,
    clusters: np.ndarray,
    j: int,
    *,
    k_ssc: int | None = None,
    null: float = 0.0,
    B: int = 9999,
    weights: str = "rademacher",
    seed: int | None = None,
    level: float = 0.95,
    ci: bool = True,
    full_enumeration: bool | None = None,
    draws: np.ndarray | None = None,
    progress: bool | Progress = False,
) -> BootResult:
    """WCR for column j of a given design X (include a constant yourself); clusters are labels.
    k_ssc is the K of (N-1)/(N-K) (default: columns of X)."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    cl = _core.Grouping(pd.factorize(np.asarray(clusters), sort=True)[0].astype(np.intp))
    n, k = X.shape
    ssc = small_sample_factor(n, k if k_ssc is None else k_ssc, cl.n)
    return _run_wcr(
        X,
        y,
        cl,
        j,
        ssc,
        f"x{j}",
        null=null,
        B=B,
        weights=weights,
        seed=seed,
        level=level,
        ci=ci,
        draws=draws,
        full_enumeration=full_enumeration,
        progress=progress,
    )


# ---------------------------------------------------------------- WRE for IV-2SLS


class _WRE:
    """Wild restricted efficient bootstrap (Davidson & MacKinnon 2010) for y1 = b y2 + X g + u
    with excluded instruments Z, one endogenous y2. Everything is in the space partialled on X
    (2SLS by FWL: P_[Z,X] = P_X + P_Zt, Zt = M_X Z). For a null b0:
      u~ = M_X(y1 - b0 y2)  (restricted structural residuals),
      first stage y2 on [Z, X, u~] -> pi~, v~ = M_X(y2 - Z pi~)  (the 'efficient' step),
      y2* = fit + v~ * v,  y1* = b0 y2* + X g~ + u~ * v  (same cluster weight in both).
    Per draw only Zt'y*, Zt_g'y*_g (l-vectors) are needed: cluster pieces below."""

    def __init__(self, y1, y2, Z, X, cl: _core.Grouping, ssc: float) -> None:
        self.cl, self.ssc, self.X = cl, ssc, X
        self.A = _core.sym_inv(_core.crossprod(X))  # (an empty X partials out nothing)
        mx = lambda a: a - X @ (self.A @ (X.T @ a))  # noqa: E731
        self.y1, self.y2, self.Zt = mx(y1), mx(y2), mx(Z)
        self.Q = _core.crossprod(self.Zt)
        self.Qi = _core.sym_inv(self.Q)
        n, m, k = len(Z), Z.shape[1], X.shape[1]
        zt = self.Zt
        self.F = cl.sums(np.einsum("il,ik->ilk", zt, X).reshape(n, m * k)).reshape(cl.n, m, k)
        self.P = cl.sums(np.einsum("il,im->ilm", zt, zt).reshape(n, m * m)).reshape(cl.n, m, m)
        # the actual 2SLS estimate and its clustered SE
        pi = self.Qi @ (zt.T @ self.y2)
        d = pi @ self.Q @ pi
        self.estimate = float(pi @ (zt.T @ self.y1) / d)
        u = self.y1 - self.estimate * self.y2
        s = cl.sums(zt * u[:, None]) @ pi
        self.se = float(np.sqrt(ssc * np.sum(s**2)) / d)

    def _term(self, e: np.ndarray):
        """Cluster pieces of Zt_g' M_X(e * v) = Se_g v_g - F_g A sum_h X_h'e_h v_h."""
        Se = self.cl.sums(self.Zt * e[:, None])  # G x l
        Ge = self.cl.sums(self.X * e[:, None]) @ self.A  # G x k
        return Se, Ge

    def t_boot(self, b0: float, blocks) -> np.ndarray:
        zt = self.Zt
        ut = self.y1 - b0 * self.y2
        pit = np.linalg.lstsq(np.column_stack([zt, ut]), self.y2, rcond=None)[0][:-1]
        vt = self.y2 - zt @ pit
        (Su, Gu), (Sv, Gv) = self._term(ut), self._term(vt)
        Qpi, Ppi = self.Q @ pit, self.P @ pit  # Zt'Zt pi~ and its cluster parts (G x l)
        G, m, k = self.F.shape
        Fr = self.F.reshape(G * m, k)
        out = []
        for V in blocks:
            g2 = Qpi + V @ Sv  # Zt'y2* (b x l)
            pis = g2 @ self.Qi  # the draw's first-stage coefficients
            d = np.einsum("bl,bl->b", pis, g2)
            delta = np.einsum("bl,bl->b", pis, V @ Su) / d  # b* - b0
            # cluster scores pis' Zt_g'(M_X(u~ v) - delta y2*) of the draw
            e = V @ Gu - delta[:, None] * (V @ Gv)
            fe = np.einsum("bgl,bl->bg", (e @ Fr.T).reshape(len(V), G, m), pis)
            sc = V * (pis @ Su.T - delta[:, None] * (pis @ Sv.T)) - fe
            sc -= delta[:, None] * (pis @ Ppi.T)
            var = self.ssc * np.einsum("bg,bg->b", sc, sc) / d**2
            out.append(delta / np.sqrt(var))
        return np.concatenate(out)


def wild_bootstrap_iv(
    df: pd.DataFrame,
    y: str,
    endog: str,
    instruments: list[str] | str,
    exog: list[str] | tuple = (),
    *,
    entity: str | None = None,
    time: str | None = None,
    effects: str = "twoway",
    cluster: str | None = None,
    null: float = 0.0,
    B: int = 9999,
    weights: str = "rademacher",
    seed: int | None = None,
    level: float = 0.95,
    ci: bool = True,
    full_enumeration: bool | None = None,
    draws: np.ndarray | None = None,
    progress: bool | Progress = False,
) -> BootResult:
    """WRE test of the coefficient of `endog` = `null` in the 2SLS model of fit_iv (same sample,
    effects, clustering; t_stat equals fit_iv's t for null=0). The CI inverts the WRE test; each
    trial value re-runs the bootstrap on the same draws (about 60 passes), and may be unbounded
    (inf) when the instruments are weak - an honest answer, not a failure."""
    instruments = [instruments] if isinstance(instruments, str) else list(instruments)
    exog = list(exog)
    if not instruments:
        raise ValueError("give at least one excluded instrument")
    d = _design(
        df, [y, endog, *instruments], exog, entity=entity, time=time, effects=effects, cluster=cluster, n_endog=1
    )
    G = d.clusters.n
    B, seed, enum, draws = _setup_draws(B, G, weights, seed, draws, full_enumeration, level)
    prog = _progress(progress)
    w = _WRE(d.cols[y], d.cols[endog], np.column_stack([d.cols[c] for c in instruments]), d.X, d.clusters, d.ssc)
    if draws is None and B * G <= 4_000_000:  # keep the draws rather than regenerate per pass
        draws = np.vstack(list(_blocks(B, G, weights, seed, enum, None)))
    width = G * (d.X.shape[1] * len(instruments) + G)
    blocks = lambda: _blocks(B, G, weights, seed, enum, draws, width)  # noqa: E731
    t_null = w.t_boot(null, _reporting(blocks(), prog, "WRE draws", B))
    calls = [0]

    def pfun(b0: float) -> float:  # one bootstrap pass per trial value
        calls[0] += 1
        if prog:
            prog("WRE confidence interval: bootstrap passes", calls[0], 0)
        return _pvalue((w.estimate - b0) / w.se, w.t_boot(b0, blocks()))

    lo = hi = np.nan
    if ci:
        lo, hi = _invert(pfun, w.estimate, w.se, 1 - level, special.stdtrit(G - 1, 0.5 + level / 2), rel_tol=1e-5)
        if prog:
            prog("WRE confidence interval: bootstrap passes", calls[0], calls[0])
    return BootResult(
        estimate=w.estimate,
        t_stat=(w.estimate - null) / w.se,
        p_value=_pvalue((w.estimate - null) / w.se, t_null),
        ci_lower=lo,
        ci_upper=hi,
        B=B,
        weights=weights,
        seed=seed,
        param=endog,
        null=null,
        level=level,
        n_clusters=G,
        full_enumeration=enum,
        t_boot=t_null,
        method=f"WRE wild restricted efficient bootstrap for 2SLS ({weights}, "
        f"{'all' if enum else B} draws, two-tailed symmetric p)",
    )

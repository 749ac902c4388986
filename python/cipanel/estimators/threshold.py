"""Fixed-effects panel threshold regression (Hansen 1999) in the conventions of Stata's `xthreg`.

    y_it = mu_i + x_it'b + r_it'c_0 1(q_it <= g1) + r_it'c_1 1(g1 < q_it <= g2) + ... + e_it

Why own code: no maintained Python library implements Hansen's panel threshold model (the grid
search, the sequential multi-threshold estimation with refinement, the unit-block bootstrap of
the F tests and the LR confidence sets). The regime regression printed at the end is the
project's own `fit_panel` (xtreg, fe), as xthreg runs `xtreg ... i._cat#c.(rx), fe`.

Speed: the panel is balanced, so the within transformation is a reshape and a mean. Every
candidate threshold's regime columns are within-transformed once; the sum of squared residuals
at each candidate comes from partialling the base design out (Frisch-Waugh-Lovell) and one
batched p x p solve per candidate, for all bootstrap samples at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .result import FitResult

STAGES = ("single", "double", "triple")


def lr_critical(level: float = 0.95) -> float:
    """Hansen's (2000) asymptotic critical value of the LR statistic: c = -2 ln(1 - sqrt(level)),
    7.3523 at 95%."""
    return float(-2.0 * np.log(1.0 - np.sqrt(level)))


@dataclass
class ThresholdResult:
    """What `xthreg` prints and stores: e(Thrss) as `thresholds`, e(Fstat) as `tests`, e(LR),
    e(LR21), e(LR22), e(LR3) as `lr`, and the regime regression (xtreg, fe) as `regression`."""

    regression: FitResult
    thresholds: pd.DataFrame  # index Th-1, Th-21, Th-22, Th-3; threshold, rss, lower, upper
    tests: pd.DataFrame  # index single/double/triple; rss, mse, f_stat, p_value, crit10, crit5, crit1
    lr: dict[str, pd.DataFrame]  # "LR", "LR21", "LR22", "LR3" -> columns threshold, lr
    estimates: list[float]  # the thresholds used in the regression, ascending
    level: float
    n_units: int
    n_periods: int
    grid: int
    trim: list[float]
    reps: list[int]
    regime_names: list[str]
    notes: list[str] = field(default_factory=list)
    threshold_variable: str = ""

    # the FitResult interface, so tables and the results store treat this like any model
    @property
    def params(self) -> pd.Series:
        return self.regression.params

    @property
    def bse(self) -> pd.Series:
        return self.regression.std_errors

    @property
    def nobs(self) -> int:
        return self.regression.nobs

    @property
    def lr_critical(self) -> float:
        return lr_critical(self.level)

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        return self.regression.conf_int(level)

    def summary(self) -> str:
        lines = [
            f"Threshold estimator (level = {self.level * 100:g}):",
            self.thresholds[["threshold", "lower", "upper"]].to_string(float_format="%.4f"),
        ]
        if len(self.tests):
            lines += [
                "",
                f"Threshold effect test (bootstrap = {' '.join(map(str, self.reps))}):",
                self.tests.to_string(float_format="%.4f"),
            ]
        return "\n".join(lines)


# ---------------------------------------------------------------------------- data preparation
@dataclass
class _Panel:
    y: np.ndarray  # (N*(T-1),) within-transformed, last period deleted
    x: np.ndarray  # (N*(T-1), kx) within-transformed common regressors
    r_raw: np.ndarray  # (N*T, p) regime-dependent regressors, raw
    q: np.ndarray  # (N*T,) threshold variable, raw
    n: int
    t: int
    frame: pd.DataFrame  # the estimation sample sorted by entity, time


def _within(a: np.ndarray, n: int, t: int) -> np.ndarray:
    """Within transformation of a unit-major balanced panel, with the last period deleted (Hansen
    1999, sec. 2: the demeaned errors of a unit sum to zero, so one period is redundant). The
    search, the F and LR statistics use these N(T-1) rows, as Hansen's programs do; the final
    regime regression is xtreg, fe on all NT rows."""
    shaped = a.reshape(n, t, *a.shape[1:])
    out = (shaped - shaped.mean(axis=1, keepdims=True))[:, : t - 1]
    return out.reshape(n * (t - 1), *a.shape[1:])


def _prepare(df: pd.DataFrame, y: str, x: list[str], rx: list[str], qx: str, entity: str, time: str) -> _Panel:
    names = list(dict.fromkeys([y, *x, *rx, qx]))
    missing = [c for c in [*names, entity, time] if c not in df.columns]
    if missing:
        raise ValueError(f"column {missing[0]!r} is not in the data")
    frame = df[[entity, time, *names]].dropna().sort_values([entity, time]).reset_index(drop=True)
    if frame.duplicated([entity, time]).any():
        dup = frame[frame.duplicated([entity, time], keep=False)].iloc[0]
        raise ValueError(f"unit {dup[entity]!r}, {time} {dup[time]!r} appears more than once")
    counts = frame.groupby(entity)[time].nunique()
    periods = frame.groupby(entity)[time].apply(lambda s: tuple(s))
    if counts.nunique() != 1 or periods.nunique() != 1:
        short = counts.idxmin()
        raise ValueError(
            "the panel threshold model needs a balanced panel (as xthreg): after dropping rows "
            f"with missing {', '.join(names)}, unit {str(short)!r} has {counts.min()} of {counts.max()} "
            f"periods; {int((counts < counts.max()).sum())} of {len(counts)} units are incomplete"
        )
    n, t = len(counts), int(counts.iloc[0])
    if t < 2:
        raise ValueError("the panel threshold model needs at least two periods per unit")
    for name in names:
        if (frame.groupby(entity)[name].std(ddof=0).fillna(0) == 0).all():
            raise ValueError(f"variable {name!r} does not vary within any unit (time-invariant); xthreg refuses it too")
    yv = frame[y].to_numpy(float)
    xv = frame[x].to_numpy(float) if x else np.empty((len(frame), 0))
    return _Panel(
        y=_within(yv, n, t),
        x=_within(xv, n, t),
        r_raw=frame[rx].to_numpy(float),
        q=frame[qx].to_numpy(float),
        n=n,
        t=t,
        frame=frame,
    )


def candidate_grid(q: np.ndarray, trim: float, grid: int) -> np.ndarray:
    """Candidate thresholds as in Hansen's (1999) programs: the distinct values of q, sorted, and
    of those the ones at the quantile levels trim, trim + 1/grid, ..., 1 - trim (trim 0.01 and
    grid 400 give Hansen's 393 quantiles 1%, 1.25%, ..., 99%); the value at level s is the
    floor(s * n_distinct)-th distinct value. Every candidate is an observed value."""
    if not 0 <= trim < 0.5:
        raise ValueError(f"trim must be in [0, 0.5), got {trim}")
    if grid < 2:
        raise ValueError(f"grid must be at least 2, got {grid}")
    distinct = np.unique(q)
    levels = trim + np.arange(0, round(grid * (1 - 2 * trim)) + 1) / grid
    pos = np.clip(np.floor(levels * len(distinct) + 1e-9).astype(int) - 1, 0, len(distinct) - 1)
    return np.unique(distinct[pos])


# ---------------------------------------------------------------------------- the search
class _Search:
    """RSS of the within regression at every candidate threshold, for many y vectors at once."""

    def __init__(self, panel: _Panel, candidates: np.ndarray, grid: int) -> None:
        self.p = panel
        self.cand = candidates
        self.grid = grid
        below = panel.q[:, None] <= candidates[None, :]  # (NT, G)
        # within-transformed r * 1(q <= g) for every candidate: (G, N(T-1), p)
        d = below.T[:, :, None] * panel.r_raw[None, :, :]
        self.d = _within(d.transpose(1, 0, 2), panel.n, panel.t).transpose(1, 0, 2)
        self.r = _within(panel.r_raw, panel.n, panel.t)

    def column(self, j: int) -> np.ndarray:
        return self.d[j]

    def rss(self, ys: np.ndarray, base: np.ndarray, allowed: np.ndarray) -> np.ndarray:
        """RSS (G, B) of ys (rows, B) on [base, d_g]; inf where not allowed or degenerate."""
        d = self.d[allowed]  # (g, rows, p)
        g, rows, p = d.shape
        if base.shape[1]:
            q_, _ = np.linalg.qr(base)
            e = ys - q_ @ (q_.T @ ys)
            flat = d.transpose(1, 0, 2).reshape(rows, g * p)  # partial the base out of every candidate (BLAS)
            flat = flat - q_ @ (q_.T @ flat)
            d = flat.reshape(rows, g, p).transpose(1, 0, 2)
        else:
            e = ys
        ee = np.einsum("nb,nb->b", e, e)
        de = np.matmul(d.transpose(0, 2, 1), e)  # (g, p, B)
        dd = np.matmul(d.transpose(0, 2, 1), d)  # (g, p, p)
        out = np.full((len(self.cand), ys.shape[1]), np.inf)
        scale = np.einsum("gpp->g", dd)
        good = scale > 1e-10 * max(float(scale.max(initial=0.0)), 1e-300)  # a regime left empty
        if p == 1:
            red = de[good, 0, :] ** 2 / dd[good, 0, 0][:, None]
        else:
            good &= np.linalg.matrix_rank(dd) == p
            red = np.einsum("gpb,gpb->gb", de[good], np.linalg.solve(dd[good], de[good]))
        out[np.flatnonzero(allowed)[good]] = ee[None, :] - red
        return out

    def base(self, fixed: list[int]) -> np.ndarray:
        return np.hstack([self.p.x, self.r, *[self.d[j] for j in fixed]])

    def allowed(self, fixed: list[int], trim: float) -> np.ndarray:
        """Candidates at least trim * grid grid positions away from every threshold already
        fixed (Hansen's rule for the second and third threshold)."""
        ok = np.ones(len(self.cand), bool)
        pos = np.arange(len(self.cand))
        for j in fixed:
            ok &= np.abs(pos - j) >= max(trim * self.grid, 1.0)
        return ok


@dataclass
class _Stage:
    index: int
    rss_path: np.ndarray  # (G,)
    fixed: list[int]


def _stage(search: _Search, y: np.ndarray, fixed: list[int], trim: float) -> _Stage:
    path = search.rss(y[:, None], search.base(fixed), search.allowed(fixed, trim))[:, 0]
    if not np.isfinite(path).any():
        raise ValueError("no candidate threshold leaves enough observations in every regime; lower trim()")
    return _Stage(int(np.argmin(path)), path, fixed)


def _sequential(search: _Search, y: np.ndarray, k: int, trims: list[float]) -> list[int]:
    """Indices of thresholds 1..k found sequentially (used inside the bootstrap; no refinement,
    as the F statistic of stage k uses the stage-k RSS given the earlier estimates)."""
    fixed: list[int] = []
    for s in range(k):
        fixed.append(_stage(search, y, fixed, trims[s]).index)
    return fixed


def _fitted_resid(y: np.ndarray, design: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if design.shape[1] == 0:
        return np.zeros_like(y), y.copy()
    b, *_ = np.linalg.lstsq(design, y, rcond=None)
    fit = design @ b
    return fit, y - fit


def _bootstrap_f(
    search: _Search,
    y: np.ndarray,
    stage: int,
    fixed_null: list[int],
    trims: list[float],
    reps: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """F statistics of `stage` thresholds against `stage - 1` under the null model with the
    thresholds `fixed_null`: residual blocks of whole units drawn with replacement (Hansen 1999).
    In each sample the earlier thresholds are re-estimated sequentially; samples that share them
    share the base design and are solved together."""
    n, t = search.p.n, search.p.t
    fit, resid = _fitted_resid(y, search.base(fixed_null))
    blocks = resid.reshape(n, t - 1)
    draws = rng.integers(0, n, size=(reps, n))
    ys = fit[:, None] + blocks[draws].reshape(reps, n * (t - 1)).T  # (N(T-1), B): whole units resampled
    nt1 = n * (t - 1)
    base0 = search.base([])
    e0 = ys - base0 @ np.linalg.lstsq(base0, ys, rcond=None)[0] if base0.shape[1] else ys
    s_null = np.einsum("nb,nb->b", e0, e0)
    groups: dict[tuple[int, ...], np.ndarray] = {(): np.arange(reps)}
    for s in range(stage - 1):
        regrouped: dict[tuple[int, ...], list[int]] = {}
        for fixed, members in groups.items():
            path = search.rss(ys[:, members], search.base(list(fixed)), search.allowed(list(fixed), trims[s]))
            best = path.argmin(axis=0)
            s_null[members] = path[best, np.arange(len(members))]
            for m, j in zip(members, best):
                regrouped.setdefault((*fixed, int(j)), []).append(int(m))
        groups = {k: np.asarray(v) for k, v in regrouped.items()}
    f = np.empty(reps)
    for fixed, members in groups.items():
        s_alt = search.rss(ys[:, members], search.base(list(fixed)), search.allowed(list(fixed), trims[stage - 1])).min(
            axis=0
        )
        f[members] = (s_null[members] - s_alt) / (s_alt / nt1)
    return f


def _ci(path: np.ndarray, cand: np.ndarray, sigma2: float, level: float) -> tuple[pd.DataFrame, float, float]:
    finite = np.isfinite(path)
    lr = (path[finite] - path[finite].min()) / sigma2
    curve = pd.DataFrame({"threshold": cand[finite], "lr": lr})
    inside = curve.loc[curve["lr"] <= lr_critical(level), "threshold"]
    return curve, float(inside.min()), float(inside.max())


# ---------------------------------------------------------------------------- the estimator
def fit_threshold(
    df: pd.DataFrame,
    y: str,
    x: list[str],
    *,
    rx: list[str] | str,
    qx: str,
    entity: str,
    time: str,
    thnum: int = 1,
    trim: list[float] | float | None = None,
    grid: int = 300,
    bs: list[int] | int | None = None,
    level: float = 0.95,
    cov: str = "unadjusted",
    cluster: str | None = None,
    seed: int | None = 12345,
) -> ThresholdResult:
    """`xthreg y x, rx(rx) qx(qx) thnum() trim() grid() bs() thlevel()` followed by its
    `xtreg y x i._cat#c.(rx), fe [vce]`.

    trim, bs: one value per threshold (a scalar is repeated); bs=None or 0 skips the bootstrap of
    that stage. cov: the regime regression's covariance ("unadjusted" as xtreg's default,
    "clustered" for vce(cluster entity) or `cluster`, "robust"). The bootstrap is seeded (`seed`)
    so a run is reproducible; Stata's own random stream cannot be reproduced, so bootstrap
    p-values and critical values agree with xthreg's only up to simulation noise.
    """
    rx = [rx] if isinstance(rx, str) else list(rx)
    x = list(x)
    if not rx:
        raise ValueError("rx must name at least one regime-dependent regressor")
    if thnum not in (1, 2, 3):
        raise ValueError(f"thnum must be 1, 2 or 3 (as xthreg), got {thnum}")
    trims = _per_stage(trim, 0.01, thnum, "trim", float)
    reps = _per_stage(bs, 0, thnum, "bs", int)
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got {level}")
    overlap = sorted(set(x) & set(rx))
    if overlap:
        raise ValueError(f"{overlap[0]!r} is both a common and a regime-dependent regressor")
    panel = _prepare(df, y, x, rx, qx, entity, time)
    cand = candidate_grid(panel.q, trims[0], grid)
    search = _Search(panel, cand, grid)
    rng = np.random.default_rng(seed)
    nt1 = panel.n * (panel.t - 1)

    rows, tests, lr = {}, {}, {}
    # stage 1
    s1 = _stage(search, panel.y, [], trims[0])
    rss1 = s1.rss_path[s1.index]
    curve, lo, hi = _ci(s1.rss_path, cand, rss1 / nt1, level)
    lr["LR"] = curve
    rows["Th-1"] = (cand[s1.index], rss1, lo, hi)
    base0 = search.base([])
    rss0 = float(np.sum(_fitted_resid(panel.y, base0)[1] ** 2))
    tests["single"] = _test(rss0, rss1, nt1, reps[0], lambda r: _bootstrap_f(search, panel.y, 1, [], trims, r, rng))
    estimates = [s1.index]
    if thnum >= 2:
        s2 = _stage(search, panel.y, [s1.index], trims[1])
        rss2 = s2.rss_path[s2.index]
        # refinement (Hansen 1999, sec. 3.4): re-estimate the first threshold given the second
        s21 = _stage(search, panel.y, [s2.index], trims[1])
        curve21, lo21, hi21 = _ci(s21.rss_path, cand, rss2 / nt1, level)
        curve22, lo22, hi22 = _ci(s2.rss_path, cand, rss2 / nt1, level)
        lr["LR21"], lr["LR22"] = curve21, curve22
        rows["Th-21"] = (cand[s21.index], s21.rss_path[s21.index], lo21, hi21)
        rows["Th-22"] = (cand[s2.index], rss2, lo22, hi22)
        tests["double"] = _test(
            rss1, rss2, nt1, reps[1], lambda r: _bootstrap_f(search, panel.y, 2, [s1.index], trims, r, rng)
        )
        estimates = [s21.index, s2.index]
    if thnum == 3:
        fixed = [s21.index, s2.index]
        s3 = _stage(search, panel.y, fixed, trims[2])
        rss3 = s3.rss_path[s3.index]
        curve3, lo3, hi3 = _ci(s3.rss_path, cand, rss3 / nt1, level)
        lr["LR3"] = curve3
        rows["Th-3"] = (cand[s3.index], rss3, lo3, hi3)
        rss2_refined = s21.rss_path[s21.index]  # the double model at (Th-21, Th-22)
        tests["triple"] = _test(
            rss2_refined, rss3, nt1, reps[2], lambda r: _bootstrap_f(search, panel.y, 3, fixed, trims, r, rng)
        )
        estimates = [*fixed, s3.index]

    ths = sorted(float(cand[j]) for j in estimates)
    regression, names = _regime_regression(panel.frame, y, x, rx, qx, ths, entity, time, cov, cluster)
    thresholds = pd.DataFrame.from_dict(rows, orient="index", columns=["threshold", "rss", "lower", "upper"])
    test_frame = pd.DataFrame.from_dict(tests, orient="index")
    if len(test_frame) and test_frame["p_value"].isna().all():
        test_frame = test_frame[["rss", "mse", "f_stat"]]
    return ThresholdResult(
        regression=regression,
        thresholds=thresholds,
        tests=test_frame,
        lr=lr,
        estimates=ths,
        level=level,
        n_units=panel.n,
        n_periods=panel.t,
        grid=grid,
        trim=trims,
        reps=reps,
        regime_names=names,
        threshold_variable=qx,
        notes=[
            (
                f"Threshold variable {qx}; regime-dependent {', '.join(rx)}; {len(cand)} candidate "
                f"thresholds; bootstrap of whole units ({' '.join(map(str, reps))} replications, seed {seed})."
            )
        ],
    )


def _per_stage(value, default, k: int, name: str, kind):
    if value is None:
        return [kind(default)] * k
    values = [value] * k if np.isscalar(value) else list(value)
    if len(values) != k:
        raise ValueError(f"{name}() needs {k} value(s), one per threshold (as xthreg); got {len(values)}")
    return [kind(v) for v in values]


def _test(rss_null: float, rss_alt: float, nt1: int, reps: int, boot) -> dict[str, float]:
    mse = rss_alt / nt1
    f = (rss_null - rss_alt) / mse
    out = {
        "rss": rss_alt,
        "mse": mse,
        "f_stat": f,
        "p_value": np.nan,
        "crit10": np.nan,
        "crit5": np.nan,
        "crit1": np.nan,
    }
    if reps > 0:
        fb = boot(reps)
        out.update(
            p_value=float(np.mean(fb >= f)),
            crit10=float(np.quantile(fb, 0.90)),
            crit5=float(np.quantile(fb, 0.95)),
            crit1=float(np.quantile(fb, 0.99)),
        )
    return out


def regime_codes(q: np.ndarray, thresholds: list[float]) -> np.ndarray:
    """Stata's irecode(q, g1, g2, ...): 0 for q <= g1, 1 for g1 < q <= g2, ..."""
    return np.searchsorted(np.asarray(sorted(thresholds)), q, side="left")


def _regime_regression(frame, y, x, rx, qx, ths, entity, time, cov, cluster) -> tuple[FitResult, list[str]]:
    codes = regime_codes(frame[qx].to_numpy(float), ths)
    work = frame.copy()
    names = []
    for var in rx:
        for r in range(len(ths) + 1):
            name = f"{r}._cat#c.{var}"
            work[name] = np.where(codes == r, work[var].to_numpy(float), 0.0)
            names.append(name)
    from .panel import fit_panel  # here: unpickling a cached ThresholdResult should not import SciPy

    result = fit_panel(work, y, [*x, *names], entity=entity, time=time, effects="entity", cov=cov, cluster=cluster)
    result.method = "panel threshold (xthreg; regime regression xtreg, fe)"
    return result, names

"""Is a coefficient different between two groups? "Significant in one subsample, not in the other"
is not a test (docs/methods.md §4.2). Two tests of b1 - b0:

- `interaction_test`: one pooled regression with x, x * group and year FE x group (optionally the
  controls x group too), entity FE, clustered by entity; as Stata
  `xtreg y c.x##i.g controls i.year#i.g, fe vce(cluster id)`. With interact_controls=True the model
  is fully interacted and the coefficient of x * group equals b1 - b0 of the two subsample
  regressions exactly; only its SE comes from the pooled model.
- `fisher_permutation_test`: the permutation test Chinese papers call 费舍尔组合检验, as in
  连玉君 & 廖俊平 (2017) / Stata `bdiff`: permute the group label across UNITS (a unit keeps all
  its years and its group size is preserved), re-estimate both subsample regressions, and compare
  d* = b1* - b0* with the observed d. We report the two-sided empirical p = share of
  |d*| >= |d| (primary) and bdiff's one-sided p in the direction of d (share of d* >= d when
  d > 0, d* <= d when d < 0). bdiff prints b0 - b1; here d = b1 - b0 (b1 = the group with the
  larger label), so its sign is flipped relative to bdiff's table.

The permutation test is vectorised: within-unit demeaning does not depend on group membership, so
each unit's cross-products W_u'W_u and W_u'y_u (W = x, controls, year dummies, entity-demeaned) are
computed once; a subsample regression is then a sum of unit pieces, and B draws are one
(B x units) @ (units x k^2) product plus B small solves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..estimators import _core
from ..estimators.panel import fit_panel
from ..estimators.result import FitResult
from .wild_bootstrap import Progress, _progress

_TIE_RTOL = 1e-9


@dataclass(frozen=True)
class InteractionResult:
    """b1 - b0 from the pooled interaction model, clustered SE, t(G-1) p-value."""

    diff: float
    se: float
    t_stat: float
    p_value: float
    df: float | None
    n_clusters: int | None
    term: str
    groups: tuple
    fit: FitResult = field(repr=False)


@dataclass(frozen=True)
class PermutationResult:
    """Fisher permutation test of d = b1 - b0 (b1: coefficient in the group with the larger label).

    p_value: two-sided share of |d*| >= |d|; p_value_one_sided: share of d* >= d if d > 0 (else
    d* <= d), the one bdiff prints. diffs: the B permuted differences."""

    diff: float
    coef_group0: float
    coef_group1: float
    p_value: float
    p_value_one_sided: float
    B: int
    seed: int | None
    groups: tuple
    method: str
    diffs: np.ndarray = field(repr=False, compare=False)


def _two_groups(values: pd.Series, name: str) -> tuple[np.ndarray, tuple]:
    labels = np.sort(values.dropna().unique())
    if len(labels) != 2:
        raise ValueError(f"group column {name!r} must take exactly two values, has {len(labels)}")
    labels = tuple(v.item() if hasattr(v, "item") else v for v in labels)
    return (values.to_numpy() == labels[1]).astype(float), labels


def interaction_test(
    df: pd.DataFrame,
    y: str,
    x: str,
    group: str,
    *,
    controls: list[str] | tuple = (),
    entity: str,
    time: str,
    cluster: str | None = None,
    interact_controls: bool = False,
) -> InteractionResult:
    """Pooled test of b1 - b0: y on x, x*g, controls (x g if interact_controls), year x group
    dummies, entity FE; clustered (default by entity), Stata dof, t(G-1). The group main effect
    is absorbed by the entity FE when group is constant within units (otherwise it is included);
    dummy columns collinear with earlier ones are dropped as Stata's _rmcoll would."""
    controls = list(controls)
    keys = list(dict.fromkeys([entity, time, *([cluster] if cluster else [])]))
    d = df[list(dict.fromkeys([y, x, group, *controls, *keys]))].dropna()
    g, labels = _two_groups(d[group], group)
    term = f"{x}:{group}"
    cols = {x: d[x].to_numpy(float), term: d[x].to_numpy(float) * g}
    for c in controls:
        cols[c] = d[c].to_numpy(float)
        if interact_controls:
            cols[f"{c}:{group}"] = cols[c] * g
    cols[f"_{group}"] = g
    years = np.sort(d[time].unique())
    tv = d[time].to_numpy()
    for t in years[1:]:
        cols[f"_year{t}"] = (tv == t).astype(float)
    for t in years:
        cols[f"_year{t}:{group}"] = (tv == t) * g
    names = list(cols)
    raw = np.column_stack(list(cols.values()))
    ent = _core.Grouping(pd.factorize(d[entity], sort=True)[0].astype(np.intp))
    dm = ent.demean(raw)
    keep = _core.independent_columns(dm.T @ dm, np.einsum("ij,ij->j", raw, raw))
    kept = [names[j] for j in keep]
    user = [x, term, *controls] + ([f"{c}:{group}" for c in controls] if interact_controls else [])
    lost = [c for c in user if c not in kept]
    if lost:
        raise ValueError(
            f"column(s) {lost} are collinear with the fixed effects or the group "
            "dummies; the interaction test is not identified"
        )
    data = pd.DataFrame({c: cols[c] for c in kept}, index=d.index)
    data[y] = d[y].to_numpy(float)
    for k in keys:
        data[k] = d[k].to_numpy()
    fit = fit_panel(data, y, kept, entity=entity, time=time, effects="entity", cov="clustered", cluster=cluster)
    return InteractionResult(
        diff=float(fit.params[term]),
        se=float(fit.std_errors[term]),
        t_stat=float(fit.tstats[term]),
        p_value=float(fit.pvalues[term]),
        df=fit.df_inference,
        n_clusters=fit.n_clusters,
        term=term,
        groups=labels,
        fit=fit,
    )


def _solve_first(C: np.ndarray, c: np.ndarray) -> np.ndarray:
    """First coefficient of the (batched) normal equations C b = c; pinv if some are singular
    (e.g. a year missing from a subsample: its dummy is then all zero)."""
    try:
        return np.linalg.solve(C, c[..., None])[..., 0, 0]
    except np.linalg.LinAlgError:
        return np.einsum("...j,...j->...", np.linalg.pinv(C, hermitian=True)[..., 0, :], c)


def fisher_permutation_test(
    df: pd.DataFrame,
    y: str,
    x: str,
    group: str,
    *,
    controls: list[str] | tuple = (),
    entity: str,
    time: str | None = None,
    effects: str = "twoway",
    B: int = 1000,
    seed: int | None = None,
    progress: bool | Progress = False,
) -> PermutationResult:
    """Fisher permutation test of the difference of the coefficient of `x` between the two
    subsample regressions (each with its own entity FE and, for effects='twoway', year FE;
    effects='none' is pooled OLS with a constant). `group` must be constant within units."""
    if effects not in _core.EFFECTS:
        raise ValueError(f"effects must be one of {_core.EFFECTS}, got {effects!r}")
    if effects == "twoway" and time is None:
        raise ValueError("effects='twoway' needs the time column")
    if B < 1:
        raise ValueError(f"B must be >= 1, got {B}")
    controls = list(controls)
    d = df[list(dict.fromkeys([y, x, group, *controls, entity, *([time] if time else [])]))]
    d = d.dropna()
    g_obs, labels = _two_groups(d[group], group)
    s = _core.prepare(d.assign(**{group: g_obs}), [y, x, *controls, group], entity=entity, time=time, cluster=None)
    ent = s.entity
    g_unit = ent.means(s.col(group))
    if not np.all((g_unit == 0) | (g_unit == 1)):
        raise ValueError(
            f"group {group!r} varies within units; the permutation reassigns whole "
            "units, so the group must be a unit-level attribute"
        )
    parts = [s.matrix([x, *controls])]
    if effects == "twoway":
        parts.append(_core.time_dummies(s.time.codes))
    if effects == "none":
        parts.append(np.ones((s.nobs, 1)))
    W, yv = np.hstack(parts), s.col(y)
    if effects != "none":
        W, yv = ent.demean(W), ent.demean(yv)
    k = W.shape[1]
    Cu = ent.sums(np.einsum("ij,ik->ijk", W, W).reshape(len(W), k * k))  # units x k^2
    cu = ent.sums(W * yv[:, None])  # units x k
    Ct, ct = Cu.sum(0), cu.sum(0)

    def diffs(assign: np.ndarray) -> np.ndarray:  # assign: (b, units) 0/1 -> b1 - b0
        C1, c1 = assign @ Cu, assign @ cu
        b1 = _solve_first(C1.reshape(-1, k, k), c1)
        b0 = _solve_first((Ct - C1).reshape(-1, k, k), ct - c1)
        return np.stack([b1 - b0, b0, b1])

    d_obs, b0, b1 = diffs(g_unit[None])[:, 0]
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (2**63))
    rng, prog = np.random.default_rng(seed), _progress(progress)
    out = []
    for start in range(0, B, 1024):
        b = min(1024, B - start)
        out.append(diffs(rng.permuted(np.tile(g_unit, (b, 1)), axis=1))[0])
        if prog:
            prog("permutations", start + b, B)
    dstar = np.concatenate(out)
    tol = _TIE_RTOL * abs(d_obs)
    p2 = float(np.mean(np.abs(dstar) >= abs(d_obs) - tol))
    p1 = float(np.mean(dstar >= d_obs - tol) if d_obs >= 0 else np.mean(dstar <= d_obs + tol))
    return PermutationResult(
        diff=float(d_obs),
        coef_group0=float(b0),
        coef_group1=float(b1),
        p_value=p2,
        p_value_one_sided=p1,
        B=B,
        seed=seed,
        groups=labels,
        diffs=dstar,
        method=f"Fisher permutation test (bdiff), group label permuted across {ent.n} units, "
        f"{B} draws, {effects} FE in each subsample",
    )

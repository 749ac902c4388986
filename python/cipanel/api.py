"""`import cipanel as cp`: one estimator API over the Stata-convention estimators.

    m = cp.feols("res ~ dt + market | unit_code + year", cp.panel("warehouse/cipanel.duckdb"),
                 vcov="cluster:unit_code")
    m.summary(); m.tidy(); m.conf_int(); m.wild_bootstrap(B=9999, seed=1)
    cp.etable([m1, m2], out_dir="output/mine")

Routing (so a formula and a study spec column give the same numbers): effects that are the
panel's unit and/or time keys with at most one cluster variable go to `panel.fit_panel` (xtreg
conventions, `_cons` reported); any other effects (`| year`, `| a + b + c`, `industry^year`) or
two-way clustering go to `hdfe.fit_hdfe` (reghdfe conventions). An IV part goes to `iv.fit_iv`
(xtivreg) under the same condition, else to `iv_hdfe.fit_iv_hdfe` (ivreghdfe). Both OLS routes,
and both IV routes, give identical slopes and SEs where they overlap (tests check it).

The study runner fits every regression column of a spec through `SpecCall` (one cp.feols /
cp.gmm call, printable as the line a user would type), so spec and Python agree by construction.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cipanel import formula as fml
from cipanel.estimators.result import FitResult

PANEL_ATTR = "cipanel_panel"  # DataFrame.attrs key holding (entity, time) set by cp.panel()
DEFAULT_KEYS = ("unit_code", "year")


# ------------------------------------------------------------------ vcov


@dataclass
class Vcov:
    kind: str  # iid | hetero | cluster | dk
    clusters: list[str] = field(default_factory=list)
    bandwidth: int | None = None

    def describe(self) -> str:
        if self.kind == "cluster":
            return f"clustered by {' and '.join(self.clusters)}"
        return {"iid": "classical (unadjusted)", "hetero": "robust (HC1)", "dk": "Driscoll-Kraay"}[self.kind]


_ALIASES = {
    "iid": "iid",
    "unadjusted": "iid",
    "classical": "iid",
    "ols": "iid",
    "hetero": "hetero",
    "hc1": "hetero",
    "robust": "hetero",
    "dk": "dk",
    "driscoll_kraay": "dk",
    "driscoll-kraay": "dk",
}


def parse_vcov(vcov: Any, default_cluster: str | None) -> Vcov:
    """'iid' | 'HC1' | 'robust' | 'cluster:a' | 'cluster:a+b' | {'CRV1': 'a+b'} | 'dk[:lag]'.
    None: clustered by the first absorbed effect if any (pyfixest's default), else classical."""
    if vcov is None:
        return Vcov("cluster", [default_cluster]) if default_cluster else Vcov("iid")
    if isinstance(vcov, dict):
        if len(vcov) != 1 or next(iter(vcov)).upper() not in ("CRV1", "CLUSTER"):
            raise fml.FormulaError(f"vcov {vcov!r}: use {{'CRV1': 'a'}} or {{'CRV1': 'a+b'}}")
        vcov = "cluster:" + str(next(iter(vcov.values())))
    if not isinstance(vcov, str):
        raise fml.FormulaError(f"vcov {vcov!r}: expected a string such as 'cluster:unit_code'")
    head, _, tail = vcov.partition(":")
    key = head.strip().lower()
    if key in ("cluster", "crv1", "cl"):
        cols = [c.strip() for c in re.split(r"[+ ,]+", tail) if c.strip()]
        if not cols:
            raise fml.FormulaError(
                f"vcov {vcov!r}: name the cluster column(s), e.g. cluster:unit_code or cluster:unit_code+year"
            )
        return Vcov("cluster", cols)
    if key in _ALIASES:
        kind = _ALIASES[key]
        bw = None
        if tail.strip():
            if kind != "dk" or not tail.strip().isdigit():
                raise fml.FormulaError(f"vcov {vcov!r}: only dk takes an argument (the lag)")
            bw = int(tail)
        return Vcov(kind, bandwidth=bw)
    raise fml.FormulaError(f"vcov {vcov!r} is not known; use iid, hetero (HC1), cluster:COL, cluster:A+B or dk")


# ------------------------------------------------------------------ the fitted model


@dataclass
class Model:
    """A fitted model: the estimator's FitResult plus the materialised sample it used."""

    formula: str
    result: FitResult
    design: fml.Design
    vcov: Vcov
    route: str  # panel | hdfe | iv | iv_hdfe | gmm
    entity: str | None = None
    time: str | None = None
    effects: str | None = None  # fit_panel / fit_iv effects, when that route was used
    sample: pd.DataFrame | None = None  # rows the estimator saw (after singletons)
    hdfe_design: Any = None

    # -- numbers
    @property
    def params(self) -> pd.Series:
        return self.result.params

    coef = params

    @property
    def se(self) -> pd.Series:
        return self.result.std_errors

    @property
    def pvalues(self) -> pd.Series:
        return self.result.pvalues

    @property
    def nobs(self) -> int:
        return self.result.nobs

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        return self.result.conf_int(level)

    def tidy(self, level: float = 0.95) -> pd.DataFrame:
        ci = self.conf_int(level)
        r = self.result
        return pd.DataFrame(
            {
                "term": r.params.index,
                "estimate": r.params.to_numpy(),
                "std_error": r.std_errors.to_numpy(),
                "statistic": r.tstats.to_numpy(),
                "p_value": r.pvalues.to_numpy(),
                "conf_low": ci["lower"].to_numpy(),
                "conf_high": ci["upper"].to_numpy(),
            }
        )

    def r2(self) -> dict[str, float]:
        """Every R-squared the estimator computed, labelled: r2 (regress / LSDV), r2_a (Stata's
        e(r2_a)), r2_within, r2_overall (xtreg)."""
        d = self.result.diagnostics
        out = {
            k: float(d[k]) for k in ("r2", "r2_lsdv", "r2_a", "r2_within", "r2_overall", "r2_within_reghdfe") if k in d
        }
        return out

    # -- text
    def summary(self) -> str:
        return _summary_text(self)

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        t = self.tidy()
        rows = "".join(
            f"<tr><td>{html.escape(str(r.term))}</td>"
            + "".join(
                f"<td>{v:.6g}</td>" for v in (r.estimate, r.std_error, r.statistic, r.p_value, r.conf_low, r.conf_high)
            )
            + "</tr>"
            for r in t.itertuples()
        )
        head = "".join(
            f"<th>{h}</th>"
            for h in ("", "coef", "std. err.", "t" if self.result.df_inference else "z", "p", "[95% conf.", "interval]")
        )
        info = " · ".join(html.escape(s) for s in _header_lines(self))
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.result.notes)
        return (
            f"<div><p><b>{html.escape(self.result.method)}</b><br>{info}</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
            + (f"<ul>{notes}</ul>" if notes else "")
            + "</div>"
        )

    # -- inference on the fitted design
    def wild_bootstrap(
        self,
        param: str | None = None,
        *,
        B: int = 9999,
        weights: str = "rademacher",
        seed: int | None = None,
        null: float = 0.0,
        level: float = 0.95,
        **kwargs: Any,
    ) -> Any:
        """WCR wild cluster bootstrap (OLS/FE) or WRE (IV) of `param` on this model's sample and
        clusters (one cluster variable)."""
        from cipanel.inference import wcr_arrays, wild_bootstrap_iv, wild_cluster_bootstrap

        if self.vcov.kind != "cluster" or len(self.vcov.clusters) != 1:
            raise ValueError("the wild cluster bootstrap needs a model clustered by one column")
        cl = self.vcov.clusters[0]
        d = self.design
        if self.route == "panel":
            x = d.x
            param = param or x[0]
            return wild_cluster_bootstrap(
                self.sample,
                d.y,
                x,
                param,
                entity=self.entity,
                time=self.time,
                effects=self.effects,
                cluster=cl,
                null=null,
                B=B,
                weights=weights,
                seed=seed,
                level=level,
                **kwargs,
            )
        if self.route == "iv":
            if len(d.endog) != 1:
                raise ValueError("the WRE bootstrap needs exactly one endogenous regressor")
            return wild_bootstrap_iv(
                self.sample,
                d.y,
                d.endog[0],
                d.instruments,
                d.x,
                entity=self.entity,
                time=self.time,
                effects=self.effects,
                cluster=cl,
                null=null,
                B=B,
                weights=weights,
                seed=seed,
                level=level,
                **kwargs,
            )
        if self.route == "hdfe":
            h = self.hdfe_design
            param = param or h.names[0]
            if param not in h.names:
                raise ValueError(f"param {param!r} is not among {h.names}")
            return wcr_arrays(
                h.X,
                h.y,
                h.clusters[0],
                h.names.index(param),
                k_ssc=h.k_total,
                null=null,
                B=B,
                weights=weights,
                seed=seed,
                level=level,
                **kwargs,
            )
        raise ValueError(f"no wild bootstrap for a {self.route} model")

    def _group_frame(self, group: str, data: pd.DataFrame | None) -> pd.DataFrame:
        frame = self.sample if data is None else data
        if group not in frame.columns:
            raise ValueError(
                f"group {group!r} is not a column of the model's sample; "
                "pass data with it (cp.feols keeps the panel's columns)"
            )
        return frame

    def _test_setup(self, what: str, param: str | None) -> tuple[fml.Design, str, dict[str, Any]]:
        """The design, the tested parameter (default: the first regressor) and the arguments every
        cipanel.inference test takes from this model (the other regressors as controls, the keys)."""
        if self.route != "panel" or self.effects not in ("entity", "twoway"):
            raise ValueError(f"the {what} needs a model with unit (or unit + year) effects on the panel's keys")
        d = self.design
        param = param or d.x[0]
        return d, param, {"controls": [c for c in d.x if c != param], "entity": self.entity, "time": self.time}

    @property
    def _one_cluster(self) -> str | None:
        return self.vcov.clusters[0] if self.vcov.kind == "cluster" else None

    def permutation(
        self,
        group: str,
        param: str | None = None,
        *,
        data: pd.DataFrame | None = None,
        B: int = 1000,
        seed: int | None = None,
        **kwargs: Any,
    ) -> Any:
        """Fisher permutation test that `param` differs between the two groups of `group`
        (a unit-level column), with this model's regressors and effects. `data`: rows with this
        model's columns to test on instead of its own sample (two groups' samples stacked)."""
        from cipanel.inference import fisher_permutation_test

        d, param, common = self._test_setup("permutation test", param)
        return fisher_permutation_test(
            self._group_frame(group, data),
            d.y,
            param,
            group,
            **common,
            effects=self.effects,
            B=B,
            seed=seed,
            **kwargs,
        )

    def interaction_test(self, group: str, param: str | None = None, *, data: pd.DataFrame | None = None) -> Any:
        """The difference of `param` between the groups of `group` by one pooled model with
        param x group, the group's year dummies and unit effects (cipanel.inference), clustered
        as this model."""
        from cipanel.inference import interaction_test

        d, param, common = self._test_setup("interaction test", param)
        return interaction_test(self._group_frame(group, data), d.y, param, group, **common, cluster=self._one_cluster)

    def placebo(
        self, param: str | None = None, *, mode: str = "unit", B: int = 500, seed: int | None = None, **kw: Any
    ) -> Any:
        """Placebo test: `param`'s values reassigned across units (mode='unit') or unit-years
        B times on this model's sample, with its regressors (cipanel.inference.placebo_test)."""
        from cipanel.inference import placebo_test

        d, param, common = self._test_setup("placebo test", param)
        return placebo_test(
            self.sample,
            d.y,
            param,
            **common,
            cluster=self._one_cluster,
            mode=mode,
            B=B,
            seed=seed,
            **kw,
        )


def _header_lines(m: Model) -> list[str]:
    r = m.result
    d = r.diagnostics
    lines = [f"Dependent variable: {r.dependent}", f"Number of obs = {r.nobs}"]
    if m.design.fe:
        lines.append(f"Absorbed: {' + '.join(m.design.fe)}")
    lines.append("VCE: " + m.vcov.describe() + (f" ({r.n_clusters} clusters)" if r.n_clusters else ""))
    r2 = m.r2()
    fe = bool(m.design.fe)
    for key, label in (
        ("r2", "R2 (LSDV, e(r2))" if fe else "R2"),
        ("r2_a", "adj. R2 (e(r2_a))"),
        ("r2_within", "within R2"),
        ("r2_overall", "overall R2 (xtreg)"),
    ):
        if key in r2:
            lines.append(f"{label} = {r2[key]:.4f}")
    for key, label in (
        ("first_stage_f", "first-stage F (excluded instruments)"),
        ("kp_rk_lm", "Kleibergen-Paap rk LM"),
        ("kp_rk_lm_p", "  p"),
        ("cd_wald_f", "Cragg-Donald Wald F"),
        ("kp_rk_wald_f", "KP rk Wald F"),
        ("endog_test_p", "endogeneity test p"),
    ):
        if m.route.startswith("iv") and key in d:
            lines.append(f"{label} = {d[key]:.4f}")
    if "n_singletons" in d and d["n_singletons"]:
        lines.append(f"singletons dropped = {int(d['n_singletons'])}")
    return lines


def _summary_text(m: Model) -> str:
    r = m.result
    t = m.tidy()
    stat = "t" if r.df_inference else "z"
    w = max(12, *(len(str(s)) for s in t.term))
    bar = "-" * (w + 1) + "+" + "-" * 64
    out = [
        r.method,
        f"Formula: {m.formula}",
        *_header_lines(m),
        bar,
        f"{r.dependent[-w:]:>{w}} | {'Coef.':>11} {'Std. err.':>11} {stat:>8} "
        f"{'P>|' + stat + '|':>7}  [95% conf. interval]",
        bar,
    ]
    for row in t.itertuples():
        out.append(
            f"{str(row.term):>{w}} | {row.estimate:>11.6g} {row.std_error:>11.6g} "
            f"{row.statistic:>8.2f} {row.p_value:>7.3f}  {row.conf_low:>10.6g} "
            f"{row.conf_high:>10.6g}"
        )
    out.append(bar)
    out += [f"note: {n}" for n in [*m.design.notes, *r.notes]]
    return "\n".join(out)


# ------------------------------------------------------------------ estimators


def _keys(data: pd.DataFrame, panel: tuple[str, str] | None) -> tuple[str | None, str | None]:
    if panel is not None:
        entity, time = panel
    elif PANEL_ATTR in data.attrs:
        entity, time = data.attrs[PANEL_ATTR]
    elif all(k in data.columns for k in DEFAULT_KEYS):
        entity, time = DEFAULT_KEYS
    else:
        return None, None
    for k in (entity, time):
        if k not in data.columns:
            raise fml.FormulaError(f"panel key {k!r} is not a column of the data")
    return entity, time


def _panel_effects(fe: list[str], entity: str | None, time: str | None) -> str | None:
    """fit_panel's effects for these absorbed effects, or None when it cannot say them."""
    if entity is None:
        return None
    if not fe:
        return "none"
    if fe == [entity]:
        return "entity"
    if sorted(fe) == sorted([entity, time]):
        return "twoway"
    return None


_PANEL_COV = {"iid": "unadjusted", "hetero": "robust", "cluster": "clustered", "dk": "driscoll_kraay"}


def _complete(frame: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    return frame.loc[frame[list(dict.fromkeys(cols))].notna().all(axis=1)]


def _collinear(sample: pd.DataFrame, design: fml.Design) -> bool:
    """Regressors collinear among themselves or with the constant (e.g. every level of
    i(region, x) beside x): fit_panel refuses them, the hdfe route omits them with a note as
    fixest and Stata do. Effects are checked by the estimators themselves."""
    if not design.x:
        return False
    x = sample[design.x].to_numpy(dtype=float)
    x = np.column_stack([x - x.mean(axis=0), np.ones(len(x))])
    return np.linalg.matrix_rank(x) < x.shape[1]


def feols(
    formula: str,
    data: pd.DataFrame,
    vcov: Any = None,
    *,
    panel: tuple[str, str] | None = None,
    estimator: str = "ols",
    drop_singletons: bool = True,
    collinear: str = "omit",
) -> Model:
    """OLS / FE / IV from a fixest-style formula (see cipanel.formula).

    vcov: 'iid', 'hetero' (HC1), 'cluster:COL', 'cluster:A+B' (two-way, CGM), {'CRV1': 'A+B'},
    'dk' (Driscoll-Kraay, unit/year effects only); default: clustered by the first absorbed
    effect, classical without effects. panel: (entity, time) for panel operators and the xtreg
    route (default: set by cp.panel(), or unit_code/year when present). estimator='fd': first
    differences of every variable (Stata `reg D.(y x)`, constant kept). drop_singletons: as
    reghdfe (default True; counted in the notes). collinear: 'omit' (collinear regressors are
    dropped with a note, as fixest and Stata do) or 'raise' (an error naming them)."""
    if collinear not in ("omit", "raise"):
        raise fml.FormulaError(f"collinear {collinear!r}: use 'omit' or 'raise'")
    if estimator not in ("ols", "fd"):
        raise fml.FormulaError(f"estimator {estimator!r}: use 'ols' or 'fd'")
    entity, time = _keys(data, panel)
    data = data.reset_index(drop=True)  # row labels are used to align derived columns
    parsed = fml.parse(formula)
    design = fml.materialise(parsed, data, entity=entity, time=time)
    if estimator == "fd":
        if entity is None:
            raise fml.FormulaError("estimator='fd' needs the panel keys (panel=(entity, time))")
        if entity in design.fe:
            raise fml.FormulaError(f"first differences remove the unit effects; do not absorb {entity!r} as well")
        cols = [design.y, *design.x, *design.endog, *design.instruments]
        diffed = fml.difference(design.frame, cols, entity, time)
        ren = {c: f"D.{c}" for c in cols}
        design = fml.Design(
            diffed.rename(columns=ren),
            ren[design.y],
            [ren[c] for c in design.x],
            design.fe,
            [ren[c] for c in design.endog],
            [ren[c] for c in design.instruments],
            [
                *design.notes,
                "first differences (D.) of every variable; a unit's first year and years after a gap are missing",
            ],
            design.slopes,
        )
    default_cl = design.fe[0] if design.fe else None
    v = parse_vcov(vcov, default_cl)
    missing_cl = [c for c in v.clusters if c not in design.frame.columns]
    if missing_cl:
        if all(c in data.columns for c in missing_cl):
            for c in missing_cl:
                design.frame[c] = data.loc[design.frame.index, c]
        else:
            raise fml.FormulaError(f"vcov: cluster column(s) {missing_cl} not in the data")
    effects = _panel_effects(design.fe, entity, time)
    used = [design.y, *design.x, *design.endog, *design.instruments, *design.fe, *v.clusters]
    frame = _complete(design.frame, [*used, *([entity, time] if entity else [])])
    n_missing = len(design.frame) - len(frame)
    notes: list[str] = []
    if design.fe and drop_singletons:
        from cipanel.estimators.hdfe import singleton_mask

        single = singleton_mask(frame, design.fe)
        if single.any():
            notes.append(f"{int(single.sum())} singleton observation(s) dropped (reghdfe)")
            frame = frame.loc[~single]
    # keep the panel's other columns so permutation / where-style follow-ups can use them
    sample = frame.join(data.drop(columns=[c for c in data.columns if c in frame.columns]), how="left")

    if design.endog and effects is not None and len(v.clusters) <= 1 and v.kind != "dk":
        from cipanel.estimators.iv import fit_iv

        res = fit_iv(
            sample,
            design.y,
            design.x,
            design.endog,
            design.instruments,
            entity=entity,
            time=time,
            effects=effects,
            cov=_PANEL_COV[v.kind],
            cluster=v.clusters[0] if v.clusters else None,
        )
        route = "iv"
        hd = None
    elif design.endog:  # other absorbed effects or multi-way clusters: FWL, ivreghdfe conventions
        if v.kind == "dk":
            raise fml.FormulaError("IV supports vcov iid, hetero or cluster (one or more columns), not dk")
        if design.slopes:
            raise fml.FormulaError(f"formula {formula!r}: IV does not take varying slopes (unit[year])")
        from cipanel.estimators.iv_hdfe import fit_iv_hdfe

        res = fit_iv_hdfe(
            sample,
            design.y,
            design.x,
            design.endog,
            design.instruments,
            design.fe,
            vcov=v.kind,
            cluster=v.clusters,
            drop_singletons=False,  # dropped above, counted in the notes
        )
        route, hd, effects = "iv_hdfe", None, None
    elif design.slopes or (
        effects is not None and len(v.clusters) <= 1 and (collinear == "raise" or not _collinear(sample, design))
    ):
        if design.slopes and (
            design.slopes != [(entity, time)] or effects not in ("entity", "twoway") or len(v.clusters) > 1
        ):
            raise fml.FormulaError(
                f"formula {formula!r}: varying slopes are supported as "
                f"{entity}[{time}] (+ {time}) with at most one cluster "
                "variable"
            )
        from cipanel.estimators.panel import fit_panel

        res = fit_panel(
            sample,
            design.y,
            design.x,
            entity=entity,
            time=time,
            effects=effects,
            cov=_PANEL_COV[v.kind],
            cluster=v.clusters[0] if v.clusters else None,
            bandwidth=v.bandwidth,
            trends=bool(design.slopes),
        )
        if not design.slopes:  # unit-specific trends: xtreg's own R2 only (no LSDV counterpart reported)
            d = res.diagnostics
            r2_base = d.get("r2_lsdv", res.r_squared)
            d["r2_a"] = float(1 - (1 - r2_base) * (res.nobs - 1) / d["df_resid"])
            d["r2"] = float(r2_base)  # regress's R2, or LSDV (reghdfe's e(r2)) with effects
        route, hd = "panel", None
    else:
        if v.kind == "dk":
            raise fml.FormulaError("Driscoll-Kraay SE need the panel's unit/year effects only")
        from cipanel.estimators.hdfe import fit_hdfe

        res, hd = fit_hdfe(
            sample, design.y, design.x, design.fe, vcov=v.kind, cluster=v.clusters, drop_singletons=False
        )
        route = "hdfe"
        effects = None
    res.diagnostics["n_dropped_missing"] = float(n_missing)
    res.diagnostics["n_singletons"] = float(len(design.frame) - n_missing - len(frame))
    res.notes[:0] = notes
    if estimator == "fd":
        res.method = "first differences (reg D.(y x)), " + res.method
    return Model(formula, res, design, v, route, entity, time, effects, sample, hd)


def iv(formula: str, data: pd.DataFrame, vcov: Any = None, **kwargs: Any) -> Model:
    """IV-2SLS: `y ~ exog | fe | endog ~ instruments` (the same as feols with an IV part)."""
    if formula.count("~") < 2:
        raise fml.FormulaError(f"formula {formula!r}: an IV formula ends with '| endog ~ instruments'")
    return feols(formula, data, vcov, **kwargs)


def gmm(
    formula: str | pd.DataFrame,
    data: pd.DataFrame | str | None = None,
    x: list[str] | str | None = None,
    *,
    entity: str | None = None,
    time: str | None = None,
    panel: tuple[str, str] | None = None,
    **kwargs: Any,
) -> Model:
    """Difference / system GMM in xtabond2's conventions (cipanel.estimators.gmm.fit_gmm):

        cp.gmm("y ~ L.y + x + yr*", df, gmm=[GmmStyle("L.y", 1, 3)], iv=[IvStyle("x")])

    The right-hand side is xtabond2's varlist joined by `+`: lag operators (`L.y`, `L2.y`, or
    the formula's `l(y, 1)`) and globs (`yr*`); year dummies yr<year> are added when a glob
    names them and the data have none (xtabond2 users make them with `tab year, gen(yr)`).
    The older call `cp.gmm(df, "y", ["L.y", "x"], ...)` still works."""
    from cipanel.estimators.gmm import fit_gmm, year_dummies

    if isinstance(formula, pd.DataFrame):  # cp.gmm(df, y, x, ...)
        frame, y, xs = formula, str(data), [x] if isinstance(x, str) else list(x or [])
        text = f"{y} ~ {' + '.join(xs)}"
    else:
        if not isinstance(data, pd.DataFrame):
            raise fml.FormulaError("cp.gmm(formula, data, ...): data must be a DataFrame")
        frame, text = data, formula
        y, xs = fml.gmm_terms(formula)
    if entity is None:
        entity, time = panel if panel is not None else _keys(frame, None)
    styles = [s.variables for s in [*kwargs.get("gmm", []), *kwargs.get("iv", [])]]
    tokens = [*xs, *(tok for v in styles for item in ([v] if isinstance(v, str) else v) for tok in str(item).split())]
    if any(t.startswith("yr") and "*" in t for t in tokens) and not any(re.fullmatch(r"yr\d+", str(c)) for c in frame):
        frame = year_dummies(frame.reset_index(drop=True), time)
    res = fit_gmm(frame, y, xs, entity=entity, time=time, **kwargs)
    design = fml.Design(frame, y, xs, [], [], [], [])
    kind = "cluster" if kwargs.get("robust", True) else "iid"
    return Model(
        f"{text} (GMM)",
        res,
        design,
        Vcov(kind, [entity] if kind == "cluster" else []),
        "gmm",
        entity,
        time,
        sample=frame,
    )


# ------------------------------------------------------------------ data and tables


def panel(path: str | Path | None = None, relation: str = "marts.fct_panel", all_units: bool = False) -> pd.DataFrame:
    """The panel mart as a DataFrame. `path`: a warehouse .duckdb file, or a project folder
    (its warehouse/cipanel.duckdb); default $CIPANEL_WAREHOUSE or warehouse/cipanel.duckdb.
    The rows of the index sample (`in_sample`), as a study's default; `all_units=True` keeps the
    units outside it too (standalone variables only, no index score)."""
    from cipanel.warehouse import read_table

    frame = read_table(relation, resolve_warehouse(path))
    if not all_units and "in_sample" in frame.columns and frame["in_sample"].dtype == bool:
        frame = frame[frame["in_sample"]].reset_index(drop=True)
    frame.attrs[PANEL_ATTR] = DEFAULT_KEYS
    return frame


def resolve_warehouse(path: str | Path | None = None, project: str | Path | None = None) -> str | Path | None:
    """A warehouse file from --warehouse, or the warehouse a project's cipanel.yml names
    (--project DIR, a project folder given as the path, or the project found from the working folder)."""
    from cipanel.project import ProjectError, find_project

    if project is not None:
        return find_project(project).warehouse
    if path is not None and Path(path).is_dir():
        return find_project(path).warehouse
    if path is None:
        try:
            return find_project().warehouse
        except ProjectError:
            return None
    return path


def etable(
    models: list[Model],
    *,
    keep: list[str] | None = None,
    labels: dict[str, str] | None = None,
    titles: list[str] | None = None,
    stat: str = "se",
    lang: str = "en",
    table_id: str = "etable",
    title: str = "",
    notes: list[str] | None = None,
    out_dir: str | Path | None = None,
) -> str:
    """The table the studies write, for these models. Returns the Markdown text; with out_dir
    also writes <table_id>.md/.tex/.docx/.xlsx/.csv there (cipanel.output.write_table)."""
    from cipanel.output.regression_tables import regression_grid, to_markdown, write_table
    from cipanel.study.tables import ModelColumn, RegressionTable

    if not models:
        raise ValueError("etable needs at least one model")
    if keep is None:
        keep = list(dict.fromkeys(t for m in models for t in m.params.index))
    cols = []
    for i, m in enumerate(models):
        fe = set(m.design.fe)
        unit = m.entity in fe or m.effects in ("entity", "twoway")
        year = m.time in fe or m.effects == "twoway"
        cols.append(
            ModelColumn(
                name=f"({i + 1})",
                title=(titles[i] if titles else m.result.dependent),
                result=m.result,
                unit_fe=unit,
                controls=any(t not in keep for t in m.params.index if t != "_cons"),
                year_fe=year,
            )
        )
    table = RegressionTable(table_id, title, cols, keep, dict(labels or {}), stat, list(notes or []))
    if out_dir is not None:
        write_table(table, Path(out_dir), lang)
    return to_markdown(regression_grid(table, lang))


# ------------------------------------------------------------------ study spec columns


@dataclass
class SpecCall:
    """One cp.* call that says a study spec column, as a user would type it in Python; the
    study runner fits every regression column through `fit`, so the spec and the call agree."""

    function: str  # feols | gmm
    formula: str
    vcov: str | None = None
    options: dict[str, Any] = field(default_factory=dict)  # keyword arguments after data

    def fit(self, data: pd.DataFrame) -> Model:
        if self.function == "gmm":
            return gmm(self.formula, data, **self.options)
        return feols(self.formula, data, self.vcov, **self.options)

    def __str__(self) -> str:
        args = [repr(self.formula), "data"]
        if self.vcov is not None:
            args.append(f"vcov={self.vcov!r}")
        args += [f"{k}={v!r}" for k, v in self.options.items()]
        return f"cp.{self.function}({', '.join(args)})"


def spec_call(model: dict, entity: str, time: str, stage: str = "ols") -> SpecCall:
    """The cp.feols call of a study spec column (a `formula` key, or outcome / treatment /
    controls / instruments / effects / trends / cov / cluster / bandwidth / estimator).
    stage: ols | iv_first | iv_second. The study runner follows xtreg, which keeps singletons,
    so spec columns say drop_singletons=False."""
    options = {"panel": (entity, time), "drop_singletons": False}
    if stage == "iv_first":
        _, vcov = fml.spec_formula(model, entity, time)
        if model.get("formula"):
            p = fml.parse(model["formula"])
            if p.endog is None:
                raise fml.FormulaError(f"formula {model['formula']!r}: an iv column needs an IV part")
            fe = " | " + " + ".join(p.fe_names) if p.fe else ""
            rhs = " + ".join(t for t in (p.instruments, p.rhs) if t and t != "0")
            return SpecCall("feols", f"{p.endog} ~ {rhs}{fe}", vcov, options)
        effects = model.get("effects", "twoway")
        fe = {"none": "", "entity": f" | {entity}", "twoway": f" | {entity} + {time}"}[effects]
        rhs = " + ".join([*model["instruments"], *model.get("controls", [])])
        if not fml.spec_uses_formula(model):
            options["collinear"] = "raise"
        return SpecCall("feols", f"{model['treatment']} ~ {rhs}{fe}", vcov, options)
    text, vcov = fml.spec_formula(model, entity, time)
    if not fml.spec_uses_formula(model):  # plain column names: a collinear one is the user's error
        options["collinear"] = "raise"
    if model.get("estimator", "ols") != "ols":
        options["estimator"] = model["estimator"]
    return SpecCall("feols", text, vcov, options)


def spec_fit(sample: pd.DataFrame, model: dict, entity: str, time: str, stage: str = "ols") -> Model:
    """A study spec column fitted through its cp.feols call (spec_call)."""
    return spec_call(model, entity, time, stage).fit(sample)


def spec_effects(model: dict, entity: str, time: str) -> str:
    """none / entity / twoway for a spec column's Unit FE and Year FE rows."""
    if not model.get("formula"):
        return model.get("effects", "twoway")
    fe = set(fml.parse(model["formula"]).fe_names)  # region^year is not a year effect
    return "twoway" if {entity, time} <= fe else "entity" if entity in fe else "none"

"""Every statistic of an analytics block on a panel frame, as tidy frames (no I/O): the runner
reads the warehouse and writes the results; the benchmark calls this directly."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from cipanel.analytics import convergence, coupling, dagum, kde, moran, theil
from cipanel.analytics.config import AnalyticsConfig
from cipanel.analytics.weights import WeightsError, standardise_rows
from cipanel.study.spec import SpecError


class AnalyticsError(SpecError):
    """What an analytics block asks for and the data cannot give; the message names the index,
    unit and year. A SpecError, so the CLI ends with this one message, no traceback."""


def _sample(panel: pd.DataFrame, index: str, entity: str, time: str, notes: list[str]) -> pd.DataFrame:
    if index not in panel.columns:
        raise AnalyticsError(f"analytics: index {index!r} is not a column of the panel")
    d = panel.dropna(subset=[index, "region"])
    dropped = len(panel) - len(d)
    if dropped:
        notes.append(f"{index}: {dropped} unit-years without a value or region left out")
    return d


def _moran_year(y: pd.Series, units: pd.Series, W: np.ndarray, codes: list[str], index: str, year, notes):
    """W restricted to the units observed this year (rows re-standardised when some are missing)."""
    if list(units) == list(codes):
        return W  # every unit observed, in the weights' order: no copy
    pos = {c: i for i, c in enumerate(codes)}
    missing = [u for u in units if u not in pos]
    if missing:
        raise AnalyticsError(f"analytics.moran: {index}, year {year}: unit {missing[0]} has no row in the weights")
    idx = np.array([pos[u] for u in units])
    sub = W[np.ix_(idx, idx)]
    if len(idx) < len(codes):
        notes.append(f"{index}, {year}: Moran's I on {len(idx)} of {len(codes)} units (weights rows re-standardised)")
        sub = standardise_rows(sub)
    empty = np.flatnonzero(sub.sum(axis=1) == 0)
    if empty.size:
        raise AnalyticsError(
            f"analytics.moran: {index}, year {year}: unit {list(units)[empty[0]]} has no "
            "neighbour among the units observed that year"
        )
    return sub


def compute(
    config: AnalyticsConfig,
    panel: pd.DataFrame,
    *,
    entity: str = "unit_code",
    time: str = "year",
    W: np.ndarray | None = None,
    w_codes: list[str] | None = None,
    progress: Callable[[str], None] = lambda _m: None,
) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """panel: one row per unit-year with `entity`, `time`, a `region` column and the indices.
    Returns ({table name: frame}, notes on what was left out)."""
    notes: list[str] = []
    out: dict[str, list[pd.DataFrame]] = {}
    add = lambda name, frame, **cols: out.setdefault(name, []).append(frame.assign(**cols))
    if config.years:
        panel = panel[panel[time].between(*config.years)]
    for index in config.indices:
        d = _sample(panel, index, entity, time, notes)
        tag = {"index_code": index, "region_scheme": config.region_scheme}
        if config.gini:
            try:
                overall, groups = dagum.dagum_by_year(d, index, "region", time)
            except ValueError as exc:
                raise AnalyticsError(f"analytics.gini: {index}: {exc}") from None
            add("dagum_gini", overall, **tag)
            add("dagum_gini_groups", groups, **tag)
            try:
                overall, groups = theil.theil_by_year(d, index, "region", time, entity)
            except ValueError as exc:
                raise AnalyticsError(f"analytics.gini (Theil T): {exc}") from None
            add("theil", overall, **tag)
            add("theil_groups", groups, **tag)
        if config.convergence:
            c = config.convergence
            add("sigma_convergence", convergence.sigma(d, index, "region", time), **tag)
            missing = [v for v in c["controls"] if v not in d.columns]
            if missing:
                raise AnalyticsError(f"analytics.convergence.controls: {missing[0]!r} is not a column of the panel")
            try:
                beta = convergence.beta(
                    d, index, entity, time, "region", c["controls"], c["effects"], c["cov"], c["regions"]
                )
            except ValueError as exc:
                raise AnalyticsError(f"analytics.convergence: {exc}") from None
            add("beta_convergence", beta, **tag, effects=c["effects"])
        if config.kde:
            k = config.kde
            add(
                "kde_density",
                kde.kde_grid(d, index, "region", time, k["bandwidth"], k["grid_points"], k["regions"]),
                **tag,
                bandwidth_rule=str(k["bandwidth"]),
            )
        if config.moran:
            if W is None:
                raise AnalyticsError("analytics.moran needs spatial weights")
            m = config.moran
            years = sorted(d[time].unique())
            local_years = m["local_years"] or [years[0], years[-1]]
            rows = []
            for year, g in d.groupby(time, sort=True):
                g = g.sort_values(entity)  # the weights' order (spatial_weights over sorted codes)
                units = g[entity].astype(str)
                sub = _moran_year(g[index], units, W, w_codes, index, year, notes)
                codes = list(units)
                try:
                    rows.append(
                        {
                            time: year,
                            **moran.global_moran(g[index].to_numpy(), sub, codes, m["permutations"], m["seed"]),
                        }
                    )
                except ValueError as exc:
                    raise AnalyticsError(f"analytics.moran: {index}, year {year}: {exc}") from None
                if year in local_years:
                    add(
                        "moran_local",
                        moran.local_moran(g[index].to_numpy(), sub, codes, m["permutations"], m["seed"], m["alpha"]),
                        **tag,
                        **{time: year},
                    )
            add("moran_global", pd.DataFrame(rows), **tag)
        progress(f"analytics: {index} done")
    for entry in config.coupling:
        systems = entry["systems"]
        absent = [s for s in systems if s not in panel.columns]
        if absent:
            raise AnalyticsError(f"analytics.coupling {entry['name']}: {absent[0]!r} is not a column of the panel")
        d = panel.dropna(subset=systems)
        if len(d) < len(panel):
            notes.append(f"coupling {entry['name']}: {len(panel) - len(d)} unit-years without all systems left out")
        U = d[systems].to_numpy(float)
        outside = np.argwhere((U < 0) | (U > 1))
        if len(outside):
            i, j = outside[0]
            r = d.iloc[i]
            raise AnalyticsError(
                f"analytics.coupling {entry['name']}: {systems[j]} of unit {r[entity]}, year "
                f"{r[time]} is {U[i, j]!r}; coupling needs scores in [0, 1]"
            )
        res = coupling.coupling_coordination(U, entry["weights"], entry["form"])
        frame = pd.DataFrame(
            {
                entity: d[entity].to_numpy(),
                time: d[time].to_numpy(),
                "region": d["region"].to_numpy(),
                **{f"u{k + 1}": U[:, k] for k in range(len(systems))},
                "coupling_c": res["C"],
                "comprehensive_t": res["T"],
                "coordination_d": res["D"],
                "level": res["level"],
            }
        )
        frame["level_zh"] = [coupling.LEVELS[lv - 1][1] for lv in frame["level"]]
        frame["level_en"] = [coupling.LEVELS[lv - 1][2] for lv in frame["level"]]
        add(
            "coupling_coordination",
            frame,
            coupling_name=entry["name"],
            systems=",".join(systems),
            form=entry["form"],
            weights=",".join(f"{w:g}" for w in (entry["weights"] or [1 / len(systems)] * len(systems))),
        )
    return {name: pd.concat(frames, ignore_index=True) for name, frames in out.items()}, notes


def weights_for(
    config: AnalyticsConfig, panel: pd.DataFrame, entity: str = "unit_code", time: str = "year"
) -> tuple[np.ndarray, list[str]]:
    """The block's spatial weights over the panel's units (economic: unit means of the variable)."""
    from cipanel.analytics.weights import spatial_weights

    w = dict(config.weights)
    kind = w.pop("kind")
    codes = sorted(panel[entity].astype(str).unique())
    if kind == "economic":
        variable = w.pop("variable")
        if variable not in panel.columns:
            raise AnalyticsError(f"analytics.weights.variable: {variable!r} is not a column of the panel")
        w["values"] = panel.groupby(entity)[variable].mean().rename(index=str)
    try:
        return spatial_weights(kind, codes, **w)
    except WeightsError as exc:
        raise AnalyticsError(f"analytics.weights: {exc}") from None

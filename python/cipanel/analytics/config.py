"""The `analytics:` block of a study spec: which index analyses to run, validated before any
work, with errors naming the file and the key path (as cipanel.study.spec does).

    analytics:
      indices: [dt, nqp, res]            # panel columns to describe
      region_scheme: three_regions       # a scheme of the project's unit regions (marts.dim_unit_regions)
      years: [2015, 2023]                # default: the study's panel.years
      weights: {kind: queen, hainan: guangdong}   # or inverse_distance / economic / file
      gini: true                         # Dagum decomposition and Theil T
      kde: {bandwidth: silverman}        # or scott, or a number (scipy's bw_method factor)
      convergence: {controls: [market, fdep], effects: twoway, cov: clustered}
      moran: {permutations: 999, seed: 20261124, local_years: [2015, 2023], alpha: 0.05}
      coupling:
        - {name: dt_nqp, systems: [dt, nqp], weights: [0.5, 0.5], form: corrected}
      obstacle: {indices: [nqp], top: 3}  # year: default the last year

Every analysis but `indices` is optional; `true` takes the defaults, `false` or absence skips it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cipanel.study.spec import SpecError

BLOCK_KEYS = {
    "indices",
    "region_scheme",
    "years",
    "weights",
    "gini",
    "kde",
    "convergence",
    "moran",
    "coupling",
    "obstacle",
}
WEIGHT_KEYS = {
    "kind",
    "hainan",
    "power",
    "cutoff_km",
    "variable",
    "times_distance",
    "path",
    "symmetric",
    "allow_islands",
    "row_standardise",
}
SUB_KEYS = {
    "kde": {"bandwidth", "grid_points", "regions"},
    "convergence": {"controls", "effects", "cov", "regions"},
    "moran": {"permutations", "seed", "local_years", "alpha"},
    "obstacle": {"indices", "top", "year"},
}
DEFAULTS = {
    "kde": {"bandwidth": "silverman", "grid_points": 128, "regions": True},
    "convergence": {"controls": [], "effects": "twoway", "cov": "clustered", "regions": True},
    "moran": {"permutations": 999, "seed": 20261124, "local_years": None, "alpha": 0.05},
    "obstacle": {"indices": None, "top": 3, "year": None},
}


@dataclass
class AnalyticsConfig:
    study: str
    indices: list[str]
    region_scheme: str
    years: tuple[int, int] | None
    weights: dict[str, Any]
    gini: bool = True
    kde: dict[str, Any] | None = None
    convergence: dict[str, Any] | None = None
    moran: dict[str, Any] | None = None
    coupling: list[dict[str, Any]] = field(default_factory=list)
    obstacle: dict[str, Any] | None = None
    path: Path | None = None


def _fail(path: Path, where: str, message: str):
    raise SpecError(f"{path}: analytics.{where}: {message}" if where else f"{path}: analytics: {message}")


def _keys(path: Path, where: str, value: Any, allowed: set[str]) -> None:
    if not isinstance(value, dict):
        _fail(path, where, f"expected a mapping, got {type(value).__name__}")
    unknown = sorted(set(value) - allowed)
    if unknown:
        _fail(path, where, f"unknown key {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}")


def _sub(path: Path, name: str, value: Any) -> dict[str, Any] | None:
    if value is None or value is False:
        return None
    if value is True:
        value = {}
    _keys(path, name, value, SUB_KEYS[name])
    return {**DEFAULTS[name], **value}


def _str_list(path: Path, where: str, value: Any, min_len: int = 1) -> list[str]:
    if not isinstance(value, list) or len(value) < min_len or not all(isinstance(v, str) for v in value):
        _fail(path, where, f"expected a list of at least {min_len} column name(s), got {value!r}")
    return list(value)


def parse(
    raw: dict[str, Any] | None, path: Path, study: str, panel_years: list[int] | tuple[int, int] | None = None
) -> AnalyticsConfig | None:
    """The validated block, or None if the spec has none."""
    if raw is None:
        return None
    _keys(path, "", raw, BLOCK_KEYS)
    if "indices" not in raw:
        _fail(path, "", "missing key 'indices' (the panel columns to describe)")
    indices = _str_list(path, "indices", raw["indices"])
    scheme = raw.get("region_scheme", "three_regions")
    if not isinstance(scheme, str):
        _fail(path, "region_scheme", f"expected the name of a region scheme, got {scheme!r}")
    years = raw.get("years", panel_years)
    if years is not None:
        if not (
            isinstance(years, list)
            and len(years) == 2
            and all(isinstance(y, int) for y in years)
            and years[0] < years[1]
        ):
            _fail(path, "years", f"expected [first, last] with first < last, got {years!r}")
        years = (years[0], years[1])
    weights = raw.get("weights", {"kind": "queen"})
    _keys(path, "weights", weights, WEIGHT_KEYS)
    if weights.get("kind") not in ("queen", "inverse_distance", "economic", "file"):
        _fail(
            path,
            "weights.kind",
            f"{weights.get('kind')!r} is not allowed; use queen, inverse_distance, economic or file",
        )
    if weights["kind"] == "economic" and not isinstance(weights.get("variable"), str):
        _fail(path, "weights.variable", "economic weights need the panel variable whose unit means set the distance")
    if weights["kind"] == "file":
        if not isinstance(weights.get("path"), str):
            _fail(path, "weights.path", "file weights need path: (an edge list or matrix CSV)")
        weights = {**weights, "path": str((path.parent / weights["path"]).resolve())}  # relative to the spec
    coupling = raw.get("coupling") or []
    if not isinstance(coupling, list):
        _fail(path, "coupling", "expected a list of {name, systems, weights, form}")
    names = set()
    for i, entry in enumerate(coupling):
        where = f"coupling[{i}]"
        _keys(path, where, entry, {"name", "systems", "weights", "form"})
        systems = _str_list(path, f"{where}.systems", entry.get("systems"), min_len=2)
        name = entry.get("name") or "_".join(systems)
        if name in names:
            _fail(path, f"{where}.name", f"duplicate coupling name {name!r}")
        names.add(name)
        w = entry.get("weights")
        if w is not None and (
            not isinstance(w, list)
            or len(w) != len(systems)
            or not all(isinstance(x, (int, float)) for x in w)
            or abs(sum(w) - 1) > 1e-9
        ):
            _fail(path, f"{where}.weights", f"expected {len(systems)} numbers summing to 1, got {w!r}")
        form = entry.get("form", "corrected")
        if form not in ("corrected", "traditional"):
            _fail(path, f"{where}.form", f"{form!r} is not allowed; use corrected (default) or traditional")
        coupling[i] = {"name": name, "systems": systems, "weights": w, "form": form}
    kde = _sub(path, "kde", raw.get("kde"))
    if kde and not (
        kde["bandwidth"] in ("silverman", "scott")
        or (isinstance(kde["bandwidth"], (int, float)) and kde["bandwidth"] > 0)
    ):
        _fail(path, "kde.bandwidth", f"use silverman, scott or a positive factor, got {kde['bandwidth']!r}")
    convergence = _sub(path, "convergence", raw.get("convergence"))
    if convergence:
        convergence["controls"] = _str_list(path, "convergence.controls", convergence["controls"], 0)
        if convergence["effects"] not in ("none", "entity", "twoway"):
            _fail(path, "convergence.effects", "use none, entity or twoway")
        if convergence["cov"] not in ("clustered", "robust", "unadjusted", "driscoll_kraay"):
            _fail(path, "convergence.cov", "use clustered, robust, unadjusted or driscoll_kraay")
    moran = _sub(path, "moran", raw.get("moran"))
    if moran and (not isinstance(moran["permutations"], int) or moran["permutations"] < 0):
        _fail(path, "moran.permutations", f"expected a whole number >= 0, got {moran['permutations']!r}")
    obstacle = _sub(path, "obstacle", raw.get("obstacle"))
    if obstacle:
        obstacle["indices"] = _str_list(path, "obstacle.indices", obstacle["indices"] or indices)
    gini = raw.get("gini", True)
    if not isinstance(gini, bool):
        _fail(path, "gini", f"expected true or false, got {gini!r}")
    return AnalyticsConfig(
        study=study,
        indices=indices,
        region_scheme=scheme,
        years=years,
        weights=weights,
        gini=gini,
        kde=kde,
        convergence=convergence,
        moran=moran,
        coupling=coupling,
        obstacle=obstacle,
        path=path,
    )


def load(
    spec_path: Path | str, study: str | None = None, panel_years: list[int] | tuple[int, int] | None = None
) -> AnalyticsConfig | None:
    """The analytics block of a study spec file (None if it has none)."""
    path = Path(spec_path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise SpecError(f"{path}: cannot read the study spec: {exc}") from None
    if not isinstance(raw, dict):
        raise SpecError(f"{path}: top level: expected a mapping")
    return parse(
        raw.get("analytics"),
        path,
        study or str(raw.get("study", path.stem)),
        panel_years if panel_years is not None else (raw.get("panel") or {}).get("years"),
    )

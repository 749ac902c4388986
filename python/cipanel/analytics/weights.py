"""Spatial weights matrices for the analytics block and the spatial models.

`spatial_weights(kind, unit_codes, **options) -> (W, unit_codes)` is the one entry point (the
spatial Durbin model uses it too). W is a dense NumPy array in the order of the returned codes,
zero diagonal, row-standardised unless `row_standardise=False` (then the raw weights: 0/1 for
contiguity, 1/d^power for distance). Kinds:
- "queen": the provinces' land borders from seeds/reference/ref_province_contiguity.csv. Hainan
  has no land border; `hainan=` links it as the literature does: "guangdong" (default, across the
  Qiongzhou Strait), "guangdong_guangxi" (also to Guangxi, across the Beibu Gulf) or "none"
  (Hainan is then an island and needs `allow_islands=True`).
- "inverse_distance": 1/d^power between provincial capitals (seeds/reference/ref_province_capitals.csv,
  great-circle distance in km), optional `cutoff_km` (pairs farther apart get 0).
- "economic": 1/|xbar_i - xbar_j| with xbar the unit's mean of a panel variable (`values=`, a
  mapping or Series unit_code -> value, e.g. mean GDP per capita over the window); optionally times
  the inverse distance (`times_distance=True`, the "economic-geographic nested" matrix).
- "file": a user's weights file (`path=`), an edge list or a square matrix (see load_weights_file).
Every error names the unit it is about.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from typing import Any

KINDS = ("queen", "inverse_distance", "economic", "file")
HAINAN_LINKS = {
    "guangdong": ("hainan_guangdong",),
    "guangdong_guangxi": ("hainan_guangdong", "hainan_guangxi"),
    "none": (),
}
EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)


class WeightsError(ValueError):
    """Invalid weights or options; the message names the unit or file concerned."""


def _reference_dir() -> Path:
    from cipanel.build import project_dir

    return project_dir() / "seeds" / "reference"


def _codes(unit_codes: Sequence) -> list[str]:
    codes = [str(c) for c in unit_codes]
    dupes = sorted(c for c, k in Counter(codes).items() if k > 1)
    if dupes:
        raise WeightsError(f"unit {dupes[0]} appears more than once in unit_codes")
    if len(codes) < 2:
        raise WeightsError("spatial weights need at least two units")
    return codes


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise WeightsError(f"{path}: cannot read weights file: {exc}") from None


def _edges_to_matrix(edges: pd.DataFrame, codes: list[str], where: str, weight_col: str | None = None) -> np.ndarray:
    pos = pd.Series(range(len(codes)), index=codes)
    i = edges["unit_code"].map(pos)
    j = edges["neighbour_code"].map(pos)
    raw = edges[weight_col] if weight_col else pd.Series("1", index=edges.index)
    value = pd.to_numeric(raw, errors="coerce")
    keep = i.notna() & j.notna()  # pairs involving a unit outside the requested set are not used
    for row in np.flatnonzero(keep & (value.isna() | ~np.isfinite(value) | (value < 0) | (i == j))):
        a, b, w = edges["unit_code"].iat[row], edges["neighbour_code"].iat[row], raw.iat[row]
        if a == b:
            raise WeightsError(f"{where}: row {row + 2}: unit {a} is listed as its own neighbour")
        if pd.isna(value.iat[row]):
            raise WeightsError(f"{where}: row {row + 2}: weight {w!r} of {a}-{b} is not a number")
        raise WeightsError(f"{where}: row {row + 2}: weight {w!r} of {a}-{b} must be finite and >= 0")
    W = np.zeros((len(codes), len(codes)))
    W[i[keep].astype(int).to_numpy(), j[keep].astype(int).to_numpy()] = value[keep].to_numpy(float)
    return W


def validate(W: np.ndarray, codes: list[str], *, where: str, symmetric: bool, allow_islands: bool) -> None:
    """Square, finite, non-negative, zero diagonal; symmetric if required; no unit without a
    neighbour unless allowed. Errors name the first offending unit(s)."""
    n = len(codes)
    if W.shape != (n, n):
        raise WeightsError(f"{where}: weights are {W.shape[0]}x{W.shape[1]} for {n} units")
    rows, cols = np.nonzero(W)  # weights matrices are sparse: check the non-zero entries only
    values = W[rows, cols]
    bad = np.flatnonzero(~np.isfinite(values) | (values < 0))
    if len(bad):
        i, j = rows[bad[0]], cols[bad[0]]
        raise WeightsError(
            f"{where}: weight of {codes[i]}-{codes[j]} is {float(W[i, j])!r}; weights must be finite and >= 0"
        )
    diag = np.flatnonzero(rows == cols)
    if len(diag):
        raise WeightsError(f"{where}: unit {codes[rows[diag[0]]]} has a non-zero weight on itself")
    if symmetric:
        mirror = W[cols, rows]
        asym = np.flatnonzero(np.abs(values - mirror) > 1e-10 * np.maximum(np.abs(values), np.abs(mirror)))
        if len(asym):
            i, j = rows[asym[0]], cols[asym[0]]
            raise WeightsError(
                f"{where}: not symmetric: {codes[i]}->{codes[j]} is {W[i, j]:g} but "
                f"{codes[j]}->{codes[i]} is {W[j, i]:g}"
            )
    islands = [codes[i] for i in np.flatnonzero(W.sum(axis=1) == 0)]
    if islands and not allow_islands:
        raise WeightsError(
            f"{where}: unit {islands[0]} has no neighbour"
            + (f" (and {len(islands) - 1} more)" if len(islands) > 1 else "")
            + "; link it, or pass allow_islands=True (its row of W stays zero)"
        )


def standardise_rows(W: np.ndarray) -> np.ndarray:
    """Each row divided by its sum (rows of islands stay zero)."""
    sums = W.sum(axis=1, keepdims=True)
    return np.divide(W, sums, out=np.zeros_like(W), where=sums > 0)


def _queen(codes: list[str], hainan: str = "guangdong") -> np.ndarray:
    if hainan not in HAINAN_LINKS:
        raise WeightsError(f"hainan={hainan!r} is not allowed; use one of {', '.join(HAINAN_LINKS)}")
    path = _reference_dir() / "ref_province_contiguity.csv"
    edges = _read_csv(path)
    edges = edges[edges["link"].isin(("land_border", *HAINAN_LINKS[hainan]))]
    _check_known(
        codes,
        set(edges["unit_code"]) | set(_read_csv(_reference_dir() / "ref_province_capitals.csv")["unit_code"]),
        path,
    )
    return _edges_to_matrix(edges, codes, str(path))


def _check_known(codes: list[str], known: set[str], path: Path) -> None:
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise WeightsError(
            f"unit {unknown[0]} is not in {path}"
            + (f" (nor {len(unknown) - 1} more)" if len(unknown) > 1 else "")
            + ": bring your own weights with kind='file'"
        )


def great_circle_km(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Haversine distances between all pairs of points (degrees in, km out)."""
    phi, lam = np.radians(lat)[:, None], np.radians(lon)[:, None]
    a = np.sin((phi - phi.T) / 2) ** 2 + np.cos(phi) * np.cos(phi.T) * np.sin((lam - lam.T) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def capital_distances(codes: list[str]) -> np.ndarray:
    path = _reference_dir() / "ref_province_capitals.csv"
    capitals = _read_csv(path).set_index("unit_code")
    _check_known(codes, set(capitals.index), path)
    rows = capitals.loc[codes]
    return great_circle_km(rows["lat"].astype(float).to_numpy(), rows["lon"].astype(float).to_numpy())


def _inverse(d: np.ndarray, power: float, cutoff_km: float | None = None) -> np.ndarray:
    W = np.zeros_like(d)
    off = ~np.eye(len(d), dtype=bool)
    W[off] = 1.0 / d[off] ** power
    if cutoff_km is not None:
        W[d > cutoff_km] = 0.0
    return W


def _economic(codes: list[str], values, times_distance: bool = False, power: float = 1.0) -> np.ndarray:
    if values is None:
        raise WeightsError("kind='economic' needs values= (unit_code -> the unit's mean of a panel variable)")
    series = pd.Series(values).rename(index=str)
    missing = [c for c in codes if c not in series.index or not np.isfinite(float(series[c]))]
    if missing:
        raise WeightsError(f"kind='economic': unit {missing[0]} has no finite value of the economic variable")
    x = series.loc[codes].astype(float).to_numpy()
    gap = np.abs(x[:, None] - x[None, :])
    off = ~np.eye(len(codes), dtype=bool)
    if (gap[off] == 0).any():
        i, j = np.argwhere((gap == 0) & off)[0]
        raise WeightsError(
            f"kind='economic': units {codes[i]} and {codes[j]} have the same value, so 1/|x_i - x_j| is infinite"
        )
    W = _inverse(gap, power)
    if times_distance:
        W = W * _inverse(capital_distances(codes), 1.0)
    return W


def load_weights_file(
    path: Path | str, unit_codes: Sequence | None = None, *, symmetric: bool = True, allow_islands: bool = False
) -> tuple[np.ndarray, list[str]]:
    """A user's weights, raw (not standardised). Two layouts, recognised by the header:
    - edge list: columns unit_code, neighbour_code[, weight] (weight 1 if absent); list each pair
      in both directions for a symmetric matrix;
    - matrix: first column unit_code, then one column per unit code in any order (square).
    Without unit_codes, the units of the file are used (in file order)."""
    path = Path(path)
    if not path.is_file():
        raise WeightsError(f"{path}: no such weights file")
    frame = _read_csv(path)
    if frame.empty or "unit_code" not in frame.columns:
        raise WeightsError(
            f"{path}: expected a column unit_code (an edge list unit_code, neighbour_code[, weight] "
            "or a matrix with a unit_code column and one column per unit)"
        )
    frame["unit_code"] = frame["unit_code"].str.strip()
    if "neighbour_code" in frame.columns:
        frame["neighbour_code"] = frame["neighbour_code"].str.strip()
        file_codes = list(dict.fromkeys([*frame["unit_code"], *frame["neighbour_code"]]))
        codes = _codes(unit_codes) if unit_codes is not None else file_codes
        _check_known(codes, set(file_codes), path)
        dup = frame.duplicated(["unit_code", "neighbour_code"], keep=False)
        if dup.any():
            r = frame[dup].iloc[0]
            raise WeightsError(f"{path}: pair {r.unit_code}-{r.neighbour_code} is listed more than once")
        W = _edges_to_matrix(frame, codes, str(path), "weight" if "weight" in frame.columns else None)
    else:
        cols = [c.strip() for c in frame.columns[1:]]
        rows = list(frame["unit_code"])
        if sorted(cols) != sorted(rows) or len(set(rows)) != len(rows):
            extra = sorted(set(cols) ^ set(rows))
            raise WeightsError(
                f"{path}: a weights matrix needs the same units as rows and columns"
                + (f"; unit {extra[0]} is in one but not the other" if extra else "; a unit repeats")
            )
        codes = _codes(unit_codes) if unit_codes is not None else rows
        _check_known(codes, set(rows), path)
        frame.columns = ["unit_code", *cols]
        body = frame.set_index("unit_code")
        try:
            W = body.loc[codes, codes].astype(float).to_numpy()
        except ValueError as exc:
            raise WeightsError(f"{path}: a weight is not a number: {exc}") from None
    validate(W, codes, where=str(path), symmetric=symmetric, allow_islands=allow_islands)
    return W, codes


def spatial_weights(
    kind: str, unit_codes: Sequence, *, row_standardise: bool = True, allow_islands: bool = False, **options: Any
) -> tuple[np.ndarray, list[str]]:
    """(W, unit_codes): the weights among `unit_codes` (that order), row-standardised by default.

    Options by kind: queen: hainan ("guangdong" | "guangdong_guangxi" | "none");
    inverse_distance: power (1), cutoff_km; economic: values, times_distance (False), power (1);
    file: path, symmetric (True)."""
    codes = _codes(unit_codes)
    allowed = {
        "queen": {"hainan"},
        "inverse_distance": {"power", "cutoff_km"},
        "economic": {"values", "times_distance", "power"},
        "file": {"path", "symmetric"},
    }
    if kind not in allowed:
        raise WeightsError(f"weights kind {kind!r} is not known; use one of {', '.join(KINDS)}")
    unknown = sorted(set(options) - allowed[kind])
    if unknown:
        raise WeightsError(
            f"weights kind {kind!r} takes no option {unknown[0]!r}; allowed: "
            f"{', '.join(sorted(allowed[kind]))}, row_standardise, allow_islands"
        )
    symmetric = True
    if kind == "queen":
        W = _queen(codes, **options)
    elif kind == "inverse_distance":
        W = _inverse(capital_distances(codes), float(options.get("power", 1.0)), options.get("cutoff_km"))
    elif kind == "economic":
        W = _economic(
            codes, options.get("values"), bool(options.get("times_distance", False)), float(options.get("power", 1.0))
        )
    else:
        if "path" not in options:
            raise WeightsError("kind='file' needs path= (an edge list or a matrix CSV)")
        symmetric = bool(options.get("symmetric", True))
        W, codes = load_weights_file(options["path"], codes, symmetric=symmetric, allow_islands=allow_islands)
    if kind != "file":  # load_weights_file validated the file's matrix
        validate(W, codes, where=f"{kind} weights", symmetric=symmetric, allow_islands=allow_islands)
    return (standardise_rows(W) if row_standardise else W), codes

"""Synthetic county-scale panel for benchmarks/bench_indices.py, and the pandas implementation of
the entropy index a user would write without the warehouse.

Everything here is synthetic (fixed seed): 'C0001'.. county codes, indicators 'ind00'.., indices
'ixa'.. with three dimensions each. Nothing refers to real places or data.
"""

from __future__ import annotations

import string
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

SEED = 20240601
FIRST_YEAR = 2004
SHIFT = 0.0001
N_DIMENSIONS = 3
REGIONS = [("north", "北部", "North"), ("south", "南部", "South"), ("east", "东部", "East"), ("west", "西部", "West")]


def index_codes(n_indices: int) -> list[str]:
    return [f"ix{string.ascii_lowercase[k]}" for k in range(n_indices)]


def make_seeds(n_units: int, n_years: int, n_indicators: int, n_indices: int) -> dict[str, pd.DataFrame]:
    """The five seeds a user with a county panel would write (copy_project's seed names)."""
    units = [f"C{i:04d}" for i in range(1, n_units + 1)]
    last_year = FIRST_YEAR + n_years - 1
    ref_units = pd.DataFrame(
        {
            "unit_code": units,
            "name_zh": [f"合成县{u}" for u in units],
            "short_name_zh": [f"县{u}" for u in units],
            "name_en": [f"Synthetic county {u}" for u in units],
            "unit_type": "county",
            "is_municipality": False,
            "in_sample": True,
        }
    )
    region = [REGIONS[i % len(REGIONS)] for i in range(n_units)]
    ref_unit_regions = pd.DataFrame(
        {
            "scheme": "synth4",
            "unit_code": units,
            "region_code": [r[0] for r in region],
            "region_zh": [r[1] for r in region],
            "region_en": [r[2] for r in region],
        }
    )
    codes = index_codes(n_indices)
    index_catalog = pd.DataFrame(
        {
            "index_code": codes,
            "label_zh": [f"合成指数{c}" for c in codes],
            "label_en": [f"Synthetic index {c}" for c in codes],
            "study": "bench",
            "weighting": "pooled",
            "shift": SHIFT,
            "score_basis": "z_shifted",
            "scale": 1,
            "window_start": FIRST_YEAR,
            "window_end": last_year,
        }
    )
    dimension_catalog = pd.DataFrame(
        [
            {
                "index_code": c,
                "dimension_code": f"d{d + 1}",
                "label_zh": f"维度{d + 1}",
                "label_en": f"Dimension {d + 1}",
            }
            for c in codes
            for d in range(N_DIMENSIONS)
        ]
    )
    rows = []
    for j in range(n_indicators):
        k = j * n_indices // n_indicators  # contiguous blocks of indicators per index
        rows.append(
            {
                "indicator_code": f"ind{j:02d}",
                "index_code": codes[k],
                "dimension_code": f"d{j % N_DIMENSIONS + 1}",
                "direction": "-" if j % 3 == 2 else "+",  # one in three is a cost-type indicator
                "unit_of_measure": "",
                "label_zh": f"合成指标{j:02d}",
                "label_en": f"Synthetic indicator {j:02d}",
                "source": "synthetic (benchmarks/_county_panel.py)",
                "rationale": "benchmark",
                "first_year": None,
                "last_year": None,
                "scope": "unit",
            }
        )
    indicator_catalog = pd.DataFrame(rows)
    return {
        "reference/ref_units": ref_units,
        "reference/ref_unit_regions": ref_unit_regions,
        "catalog/indicator_catalog": indicator_catalog,
        "catalog/index_catalog": index_catalog,
        "catalog/dimension_catalog": dimension_catalog,
    }


def make_values(n_units: int, n_years: int, n_indicators: int) -> pd.DataFrame:
    """Long values (unit_code, year, indicator_code, value): unit levels, a common trend and noise,
    lognormal scale differences between indicators; a complete panel (no gaps to interpolate)."""
    rng = np.random.default_rng(SEED)
    level = rng.normal(size=(n_units, 1, 1))
    trend = np.linspace(0.0, 1.0, n_years)[None, :, None] * rng.uniform(0.2, 1.0, size=(1, 1, n_indicators))
    scale = np.exp(rng.uniform(0.0, 8.0, size=(1, 1, n_indicators)))
    x = scale * np.exp(
        0.5 * level * rng.uniform(0.2, 1.0, size=(1, 1, n_indicators))
        + trend
        + 0.3 * rng.normal(size=(n_units, n_years, n_indicators))
    )
    units = np.array([f"C{i:04d}" for i in range(1, n_units + 1)], dtype=object)
    indicators = np.array([f"ind{j:02d}" for j in range(n_indicators)], dtype=object)
    return pd.DataFrame(
        {
            "unit_code": np.repeat(units, n_years * n_indicators),
            "year": np.tile(
                np.repeat(np.arange(FIRST_YEAR, FIRST_YEAR + n_years, dtype=np.int32), n_indicators), n_units
            ),
            "indicator_code": np.tile(indicators, n_units * n_years),
            "value": x.reshape(-1),
        }
    )


def make_dirty(values: pd.DataFrame, n_years: int) -> pd.DataFrame:
    """The same panel as a real file is (SYNTHETIC): 0.5% of the cells of inner years missing (to be
    interpolated), 0.1% given twice (both copies rejected, the cell then interpolated), 100 rows of
    an unknown unit and 100 of a year before the window (rejected)."""
    rng = np.random.default_rng(SEED + 1)
    inner = np.flatnonzero(values.year.between(FIRST_YEAR + 1, FIRST_YEAR + n_years - 2).to_numpy())
    gaps = rng.choice(inner, size=len(values) // 200, replace=False)
    twice = rng.choice(np.setdiff1d(inner, gaps), size=len(values) // 1000, replace=False)
    return pd.concat(
        [
            values.drop(index=gaps),
            values.loc[twice],
            values.iloc[:100].assign(unit_code="X9999"),
            values.iloc[100:200].assign(year=np.int32(FIRST_YEAR - 1)),
        ],
        ignore_index=True,
    )


def write_values(values: pd.DataFrame, input_dir: Path, fmt: str = "parquet") -> Path:
    """The user's long input file, written by DuckDB COPY (pyarrow is not installed)."""
    input_dir.mkdir(parents=True, exist_ok=True)
    path = input_dir / f"county_values.{fmt}"
    con = duckdb.connect()
    try:
        con.register("values_frame", values)
        options = "(format parquet)" if fmt == "parquet" else "(format csv, header true)"
        con.execute(f"copy (select * from values_frame) to '{path}' {options}")
    finally:
        con.close()
    return path


def read_values(path: Path) -> pd.DataFrame:
    con = duckdb.connect()
    try:
        source = "read_parquet" if path.suffix == ".parquet" else "read_csv_auto"
        return con.execute(f"select * from {source}(?)", [str(path)]).df()
    finally:
        con.close()


def pandas_weights(
    values: pd.DataFrame, indicator_catalog: pd.DataFrame, index_catalog: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pooled entropy weights (docs/methods.md §1.1-1.5, §1.7) the way a pandas user would write them:
    groupby/transform min-max, z' = z + shift, p = z'/sum z', p ln p, groupby sum, e, d, w.
    Returns (the normalised long frame, weights)."""
    catalog = indicator_catalog[["indicator_code", "index_code", "dimension_code", "direction"]].merge(
        index_catalog[["index_code", "shift"]], on="index_code"
    )
    df = values.merge(catalog, on="indicator_code")
    by_indicator = df.groupby(["index_code", "indicator_code"], sort=True)  # grouped once, reused
    low, high = by_indicator["value"].transform("min"), by_indicator["value"].transform("max")
    span = high - low
    z = np.where(df["direction"] == "+", df["value"] - low, high - df["value"]) / span.where(span > 0)
    df["z"] = np.where(span > 0, z, 0.0)
    df["z_shifted"] = df["z"] + df["shift"]
    df["p"] = df["z_shifted"] / by_indicator["z_shifted"].transform("sum")
    df["p_ln_p"] = df["p"] * np.log(df["p"].where(df["p"] > 0, 1.0))  # 0 ln 0 = 0
    entropy = by_indicator.agg(
        n=("p_ln_p", "size"), sum_p_ln_p=("p_ln_p", "sum"), low=("value", "min"), high=("value", "max")
    ).reset_index()
    entropy["entropy"] = -entropy["sum_p_ln_p"] / np.log(entropy["n"])
    entropy["divergence"] = np.where(entropy["high"] > entropy["low"], 1.0 - entropy["entropy"], 0.0)
    entropy["weight"] = entropy["divergence"] / entropy.groupby("index_code")["divergence"].transform("sum")
    weights = entropy.merge(catalog, on=["index_code", "indicator_code"])[
        ["index_code", "dimension_code", "indicator_code", "entropy", "weight"]
    ]
    return df, weights.reset_index(drop=True)


def pandas_scores(df: pd.DataFrame, weights: pd.DataFrame) -> pd.DataFrame:
    """Weighted-sum scores S = sum_j w_j z'_j (docs/methods.md §1.6): one wide matrix per index (pivot) and a
    dot product for the index and for each dimension; long result like fct_index_scores."""
    scores = []
    for index_code, part in df.groupby("index_code", sort=True):
        wide = part.pivot(index=["unit_code", "year"], columns="indicator_code", values="z_shifted")
        w = weights[weights["index_code"] == index_code].set_index("indicator_code")
        frame = pd.DataFrame({"_all": wide.to_numpy() @ w.loc[wide.columns, "weight"].to_numpy()}, index=wide.index)
        for dimension_code, members in w.groupby("dimension_code"):
            cols = list(members.index)
            frame[dimension_code] = wide[cols].to_numpy() @ members["weight"].to_numpy()
        long = frame.rename_axis(columns="dimension_code").stack().rename("score").reset_index()
        long.insert(0, "index_code", index_code)
        scores.append(long)
    return pd.concat(scores, ignore_index=True)


def pandas_indices(
    values: pd.DataFrame, indicator_catalog: pd.DataFrame, index_catalog: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Entropy weights and scores in pandas (pandas_weights, then pandas_scores): (weights, scores)."""
    df, weights = pandas_weights(values, indicator_catalog, index_catalog)
    return weights, pandas_scores(df, weights)


# ----------------------------------------------------------------------------------------------
# The whole pipeline in pandas (landing, validation, interpolation, entropy, scores, panel): what
# `cipanel build` does, written the way a pandas user with this panel would, for the whole-build
# comparison of bench_indices.py. Same rules as the warehouse models (stg_raw__indicator_values,
# int_indicator_values_validated, int_indicator_values_interpolated, the entropy index models,
# fct_panel), restricted to what a county panel needs: every unit a county in the index sample,
# every indicator unit-scope (national indicators, units outside the sample and derived variables
# are not handled and refused). Text work is done once per distinct spelling (a few thousand), not
# per row; the grid is a NumPy array.

MISSING_MARKERS = ["", "NA", "N/A", "na", "NaN", "..", "...", "…", "—", "-", "--"]
REASONS = [  # index = the reason code of validate(); 0 = accepted
    None,
    "unknown unit",
    "ambiguous unit name",
    "unknown indicator",
    "ambiguous indicator label",
    "invalid year",
    "year outside the window",
    "non-numeric value",
    "non-finite value",
    "duplicate unit-year-indicator",
]
PIPELINE_STEPS = ["landing", "validation", "interpolation", "weights", "scores", "panel"]


def land_values(path: Path) -> pd.DataFrame:
    """The long file as a pandas user reads it: its own column types (DuckDB reads the file, as
    pandas has no Parquet reader without pyarrow) and the row number for the rejection messages.
    (cipanel lands every cell as text, in SQL; reading 3.6 M cells as Python strings into pandas
    costs ~10x a typed read, so this side keeps the file's types and applies the text rules to
    each distinct spelling of a column instead.)"""
    con = duckdb.connect()
    try:
        return con.execute(
            "select file_row_number + 1 as source_row, unit_code as unit_raw, year as year_raw, "
            "indicator_code as indicator_raw, value as value_raw from read_parquet(?, file_row_number = true)",
            [str(path)],
        ).df()
    finally:
        con.close()


def _text(raw) -> str:
    return "" if pd.isna(raw) else str(raw).strip()


def _per_spelling(column: pd.Series, resolve) -> tuple[np.ndarray, pd.Categorical]:
    """`resolve` applied to each distinct cell once; (results per distinct cell, codes per row; an
    empty cell is the last result)."""
    codes, distinct = pd.factorize(column, use_na_sentinel=True)
    results = [resolve(s) for s in distinct] + [resolve(None)]
    return np.array(results, dtype=object), codes


def validate(landed: pd.DataFrame, units: pd.DataFrame, catalog: pd.DataFrame, first_year: int, last_year: int):
    """Every landed row with unit_id, indicator_id, year, value and its first rejection reason (the
    rules of int_indicator_values_validated, duplicates counted among otherwise usable rows)."""
    import re

    if (units.unit_type == "nation").any() or not units.in_sample.astype(bool).all():
        raise ValueError("the pandas pipeline handles in-sample counties only")
    unit_codes = sorted(units.unit_code)
    unit_id = {code: i for i, code in enumerate(unit_codes)}
    keys: dict[str, set] = {}
    for column, strip in (("unit_code", False), ("name_zh", False), ("short_name_zh", False), ("name_en", True)):
        for code, name in zip(units.unit_code, units[column].astype(str)):
            key = re.sub(r"\s", "", name).lower() if strip else name.lower()
            keys.setdefault(key, set()).add(code)

    def resolve_unit(raw: str):
        key = raw.split(".")[0] if re.fullmatch(r"[0-9]+[.]0+", raw) else re.sub(r"[\s　]", "", raw)
        codes = keys.get(key.lower())
        return (None, 0) if codes is None else (unit_id[min(codes)], len(codes))

    indicators = sorted(catalog.indicator_code.unique())
    indicator_id = {code: i for i, code in enumerate(indicators)}
    labels: dict[str, set] = {}
    for code, label in zip(catalog.indicator_code, catalog.label_zh.fillna(catalog.indicator_code)):
        labels.setdefault(code, set()).add(code)
        labels.setdefault(label, set()).add(code)

    def resolve_indicator(raw: str):
        codes = labels.get(raw)
        return (None, 0) if codes is None else (indicator_id[min(codes)], len(codes))

    def parse_year(raw) -> int | None:
        text = _text(raw)
        return int(text[:4]) if re.fullmatch(r"[0-9]{4}年?", text) else None

    unit_hits, unit_rows = _per_spelling(landed.unit_raw, lambda raw: resolve_unit(_text(raw)))
    ind_hits, ind_rows = _per_spelling(landed.indicator_raw, lambda raw: resolve_indicator(_text(raw)))
    years, year_rows = _per_spelling(landed.year_raw, parse_year)
    u = np.array([h[0] if h[0] is not None else -1 for h in unit_hits])[unit_rows]
    u_matches = np.array([h[1] for h in unit_hits])[unit_rows]
    k = np.array([h[0] if h[0] is not None else -1 for h in ind_hits])[ind_rows]
    k_matches = np.array([h[1] for h in ind_hits])[ind_rows]
    year = np.array([y if y is not None else -1 for y in years])[year_rows]
    windows = (
        catalog.groupby("indicator_code")
        .agg(first=("first_year", "min"), last=("last_year", "min"))
        .reindex(indicators)
        .fillna({"first": first_year, "last": last_year})
    )
    valid_from, valid_to = windows["first"].to_numpy(float)[k], windows["last"].to_numpy(float)[k]
    if pd.api.types.is_numeric_dtype(landed.value_raw):  # a typed column: empty cells are the markers
        value = landed.value_raw.to_numpy(float)
        is_marker = np.isnan(value)
    else:
        text = landed.value_raw.fillna("").astype(str).str.strip()
        is_marker = text.isin(MISSING_MARKERS).to_numpy()
        value = pd.to_numeric(text.where(~is_marker), errors="coerce").to_numpy(float)
    # the first reason, as a code into REASONS (0: usable); text only for the few rejected rows
    conditions = [
        u_matches == 0,
        u_matches > 1,
        k_matches == 0,
        k_matches > 1,
        year < 0,
        (year < valid_from) | (year > valid_to),
        ~is_marker & np.isnan(value),
        np.isinf(value),
    ]
    reason = np.zeros(len(landed), dtype=np.int8)
    for code, condition in reversed(list(enumerate(conditions, start=1))):
        reason[condition] = code
    usable = reason == 0
    # duplicates: usable rows per (unit, indicator, year), one bincount over a dense integer key
    n_years = last_year - first_year + 1
    key = (u.astype(np.int64) * len(indicators) + k) * n_years + (year - first_year)
    copies = np.bincount(key[usable], minlength=len(unit_codes) * len(indicators) * n_years)
    duplicate = usable.copy()
    duplicate[usable] = copies[key[usable]] > 1
    reason[duplicate] = len(conditions) + 1
    validated = pd.DataFrame({"unit_id": u, "indicator_id": k, "year": year, "value": value, "reason": reason})
    return validated, unit_codes, indicators, windows


def interpolate(validated: pd.DataFrame, n_units: int, indicators: list[str], windows, catalog, first_year, last_year):
    """The unit x year x indicator grid with observed values and linear interpolation between the
    nearest observed years of the same unit (int_indicator_values_interpolated): values and status
    codes as (unit, indicator, year) arrays; cells outside an indicator's window are masked."""
    n_years = last_year - first_year + 1
    accepted = validated[validated.reason == 0]
    grid = np.full((n_units, len(indicators), n_years), np.nan)
    grid[accepted.unit_id.to_numpy(), accepted.indicator_id.to_numpy(), accepted.year.to_numpy() - first_year] = (
        accepted.value.to_numpy()
    )
    years = np.arange(first_year, last_year + 1, dtype=float)
    in_window = (years[None, :] >= windows["first"].to_numpy()[:, None]) & (
        years[None, :] <= windows["last"].to_numpy()[:, None]
    )
    grid[:, ~in_window] = np.nan  # (cannot happen: validation rejects such rows) kept for clarity
    observed = ~np.isnan(grid)
    # nearest observed year and value on each side: forward / backward fill along the year axis
    idx = np.where(observed, np.arange(n_years), 0)
    prev_idx = np.maximum.accumulate(idx, axis=2)
    has_prev = np.maximum.accumulate(observed, axis=2)
    ridx = np.where(observed, np.arange(n_years), n_years - 1)
    next_idx = np.minimum.accumulate(ridx[:, :, ::-1], axis=2)[:, :, ::-1]
    has_next = np.maximum.accumulate(observed[:, :, ::-1], axis=2)[:, :, ::-1]
    prev_value = np.take_along_axis(grid, prev_idx, axis=2)
    next_value = np.take_along_axis(grid, next_idx, axis=2)
    prev_year, next_year = years[prev_idx], years[next_idx]
    components = catalog.groupby("indicator_code")["index_code"].apply(lambda s: s.notna().any()).reindex(indicators)
    may = catalog.groupby("indicator_code")["interpolate"].any() if "interpolate" in catalog else components
    may = may.reindex(indicators).to_numpy(bool)[None, :, None]
    between = has_prev & has_next & ~observed
    with np.errstate(invalid="ignore", divide="ignore"):
        filled = prev_value + (next_value - prev_value) * (years - prev_year) / (next_year - prev_year)
    values = np.where(observed, grid, np.where(between & may, filled, np.nan))
    status = np.select(
        [observed, between & may, between, ~has_prev & ~has_next, ~has_prev],
        ["observed", "interpolated", "not_interpolated", "no_observation", "missing_leading"],
        default="missing_trailing",
    )
    return values, np.where(in_window[None, :, :], status, "")


def pipeline(
    path: Path,
    units: pd.DataFrame,
    catalog: pd.DataFrame,
    index_catalog: pd.DataFrame,
    first_year: int,
    last_year: int,
    timer=None,
) -> dict:
    """Landing, validation, interpolation, entropy weights, scores and the unit-year panel in pandas.
    `timer(step)` is called after each step (PIPELINE_STEPS)."""
    tick = timer or (lambda step: None)
    landed = land_values(path)
    tick("landing")
    validated, unit_codes, indicators, windows = validate(landed, units, catalog, first_year, last_year)
    n_rejected = int((validated.reason != 0).sum())
    rejected = {REASONS[c]: int(n) for c, n in validated.reason[validated.reason != 0].value_counts().items()}
    del landed
    tick("validation")
    values, status = interpolate(validated, len(unit_codes), indicators, windows, catalog, first_year, last_year)
    n_interpolated = int((status == "interpolated").sum())
    del validated
    n_units, n_ind, n_years = values.shape
    long = pd.DataFrame(
        {
            "unit_code": np.repeat(np.array(unit_codes, dtype=object), n_ind * n_years),
            "indicator_code": np.tile(np.repeat(np.array(indicators, dtype=object), n_years), n_units),
            "year": np.tile(np.arange(first_year, last_year + 1, dtype=np.int32), n_units * n_ind),
            "value": values.reshape(-1),
        }
    )
    if long.value.isna().any():
        first = long[long.value.isna()].iloc[0]
        raise ValueError(f"index input missing after interpolation: {first.to_dict()}")
    tick("interpolation")
    frame, weights = pandas_weights(long, catalog, index_catalog)
    tick("weights")
    scores = pandas_scores(frame, weights)
    del frame
    tick("scores")
    # the panel: one row per unit-year, one column per indicator (interpolated values), the entropy
    # index and its dimensions (<index>, <index>_<dimension>), the interpolated-cell count
    panel = long.pivot(index=["unit_code", "year"], columns="indicator_code", values="value")
    named = scores.assign(
        variable=np.where(
            scores.dimension_code == "_all", scores.index_code, scores.index_code + "_" + scores.dimension_code
        )
    )
    panel = panel.join(named.pivot(index=["unit_code", "year"], columns="variable", values="score"))
    interpolated_cells = (status == "interpolated").sum(axis=1).reshape(-1)
    panel["n_interpolated_cells"] = interpolated_cells
    panel = panel.reset_index().merge(units[["unit_code", "name_zh", "name_en"]], on="unit_code")
    tick("panel")
    return {
        "weights": weights,
        "scores": scores,
        "panel": panel,
        "n_rejected": n_rejected,
        "rejected": rejected,
        "n_interpolated": n_interpolated,
    }

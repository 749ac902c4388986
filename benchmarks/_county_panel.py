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

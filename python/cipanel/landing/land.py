"""Dispatch input files to their reader and stack the results."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

LANDING_COLUMNS = [
    "source_file",
    "source_sheet",
    "source_row",
    "source_column",
    "unit_raw",
    "year_raw",
    "indicator_raw",
    "value_raw",
    "landing_issue",
]

SUFFIXES = {".csv", ".parquet", ".xlsx"}


class LandingError(ValueError):
    """An input file whose structure cannot be read at all (not a bad value: those are quarantined)."""


def land_file(path: Path) -> pd.DataFrame:
    from cipanel.landing.excel_wide import read_wide_workbook
    from cipanel.landing.long_files import read_long_csv, read_long_parquet

    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = read_long_csv(path)
    elif suffix == ".parquet":
        rows = read_long_parquet(path)
    elif suffix == ".xlsx":
        rows = read_wide_workbook(path)
    else:
        raise LandingError(f"{path}: unsupported file type {suffix!r}; use .csv, .parquet or .xlsx")
    frame = pd.DataFrame(rows, columns=LANDING_COLUMNS)
    return frame.astype({c: "string" for c in LANDING_COLUMNS if c != "source_row"}).astype(
        {"source_row": "int64"}
    )


def input_files(input_dir: Path) -> list[Path]:
    """Every .csv/.parquet/.xlsx file directly inside `input_dir`, in name order (Excel's ~$ lock
    files and hidden files skipped)."""
    input_dir = Path(input_dir)
    if not input_dir.is_dir():
        raise LandingError(f"input folder {input_dir} does not exist (set CIPANEL_INPUT_DIR)")
    files = sorted(p for p in input_dir.iterdir() if p.suffix.lower() in SUFFIXES)
    files = [p for p in files if not p.name.startswith(("~$", "."))]
    if not files:
        raise LandingError(f"input folder {input_dir} holds no .csv, .parquet or .xlsx file")
    return files


def land_directory(input_dir: Path) -> pd.DataFrame:
    return pd.concat([land_file(p) for p in input_files(input_dir)], ignore_index=True)

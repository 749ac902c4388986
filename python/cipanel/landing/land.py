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

SUFFIXES = {".csv", ".parquet", ".xlsx", ".xlsm", ".xls"}
# spreadsheet formats that are not read: refused by name, never skipped (a skipped file is a
# silently lost one)
UNREAD_SPREADSHEETS = {
    ".xlsb": "an Excel binary workbook",
    ".et": "a WPS spreadsheet",
    ".ods": "an OpenDocument spreadsheet",
    ".numbers": "a Numbers spreadsheet",
}


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
    elif suffix in (".xlsx", ".xlsm", ".xls"):
        rows = read_wide_workbook(path)
    elif suffix in UNREAD_SPREADSHEETS:
        raise LandingError(
            f"{path}: {UNREAD_SPREADSHEETS[suffix]} ({suffix}) is not read: open it in Excel, WPS or LibreOffice "
            "and save it as 'Excel Workbook (.xlsx)' (or as CSV UTF-8), then remove the old file from the folder"
        )
    else:
        raise LandingError(f"{path}: unsupported file type {suffix!r}; use .csv, .parquet, .xlsx or .xls")
    frame = pd.DataFrame(rows, columns=LANDING_COLUMNS)
    return frame.astype({c: "string" for c in LANDING_COLUMNS if c != "source_row"}).astype({"source_row": "int64"})


# a project's catalog and reference files, by name or by header: a folder holding the values and
# the catalogs can be the input (they are left out and the build summary says so)
CATALOG_NAMES = {
    "indicator_catalog.csv",
    "index_catalog.csv",
    "dimension_catalog.csv",
    "derived_variable_catalog.csv",
    "units.csv",
    "unit_regions.csv",
    "ref_units.csv",
    "ref_unit_regions.csv",
}
CATALOG_HEADER_COLUMNS = {
    "direction",
    "index_code",
    "dimension_code",
    "name_zh",
    "short_name_zh",
    "region_code",
    "weighting",
    "score_basis",
    "expression",
}


def _is_catalog_file(path: Path) -> bool:
    if path.name.lower() in CATALOG_NAMES:
        return True
    if path.suffix.lower() != ".csv":
        return False
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            header = {c.strip().lower() for c in handle.readline().split(",")}
    except OSError:
        return False
    return bool(header & CATALOG_HEADER_COLUMNS) and "value" not in header


def _candidates(input_dir: Path) -> list[Path]:
    input_dir = Path(input_dir)
    if not input_dir.is_dir():
        raise LandingError(
            f"input folder {input_dir} does not exist (check --input, CIPANEL_INPUT_DIR or the "
            "`data` setting of cipanel.yml)"
        )
    # spreadsheets in a format that is not read (.xlsb, .ods, ...) are included so that landing
    # refuses them by name
    files = sorted(p for p in input_dir.iterdir() if p.suffix.lower() in SUFFIXES | UNREAD_SPREADSHEETS.keys())
    return [p for p in files if not p.name.startswith(("~$", "."))]


def skipped_input_files(input_dir: Path) -> list[Path]:
    """Catalog or reference files found in the input folder (not landed as values)."""
    return [p for p in _candidates(input_dir) if _is_catalog_file(p)]


def input_files(input_dir: Path) -> list[Path]:
    """Every .csv/.parquet/.xlsx/.xlsm/.xls value file directly inside `input_dir`, in name order (Excel's ~$
    lock files, hidden files and catalog files skipped)."""
    files = [p for p in _candidates(input_dir) if not _is_catalog_file(p)]
    if not files:
        raise LandingError(f"input folder {input_dir} holds no .csv, .parquet or .xlsx/.xls file of values")
    return files


def land_directory(input_dir: Path) -> pd.DataFrame:
    return pd.concat([land_file(p) for p in input_files(input_dir)], ignore_index=True)

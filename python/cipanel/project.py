"""A user's project folder (cipanel.yml, data/, catalog/, reference/, studies/): where it is, what
its settings say, and its catalogs and units checked before dbt starts.

The checks here are the ones a user can fix by editing a file of the project, so each names the
file, the row (line number, header = 1), the column and what to write instead. The dbt data tests
stay as the second line of defence."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

PROJECT_FILE = "cipanel.yml"
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
INTEGER_WRITTEN_AS_FLOAT = re.compile(r"^([0-9]+)\.0+$")
INTERPOLATION_POLICIES = {
    "components": "index components only (standalone regression variables keep their gaps)",
    "all": "index components and standalone variables",
    "none": "no cell is interpolated",
}
# project file -> (columns in order, required columns)
CATALOG_FILES = {
    "indicator_catalog": (
        "catalog/indicator_catalog.csv",
        [
            "indicator_code",
            "index_code",
            "dimension_code",
            "direction",
            "unit_of_measure",
            "label_zh",
            "label_en",
            "source",
            "rationale",
            "first_year",
            "last_year",
            "scope",
            "interpolate",
        ],
        ["indicator_code"],
    ),
    "index_catalog": (
        "catalog/index_catalog.csv",
        [
            "index_code",
            "label_zh",
            "label_en",
            "study",
            "weighting",
            "shift",
            "score_basis",
            "scale",
            "window_start",
            "window_end",
        ],
        ["index_code"],
    ),
    "dimension_catalog": (
        "catalog/dimension_catalog.csv",
        ["index_code", "dimension_code", "label_zh", "label_en"],
        ["index_code", "dimension_code"],
    ),
    "derived_variable_catalog": (
        "catalog/derived_variable_catalog.csv",
        [
            "variable_code",
            "expression",
            "domain",
            "label_zh",
            "label_en",
            "unit_of_measure",
            "rationale",
        ],
        ["variable_code", "expression"],
    ),
    "ref_units": (
        "reference/units.csv",
        ["unit_code", "name_zh", "short_name_zh", "name_en", "unit_type", "is_municipality", "in_sample"],
        ["unit_code"],
    ),
    "ref_unit_regions": (
        "reference/unit_regions.csv",
        ["scheme", "unit_code", "region_code", "region_zh", "region_en"],
        ["scheme", "unit_code", "region_code"],
    ),
}
# the reference files shipped with the tool for `units: provinces` (in the dbt project's seeds/)
PROVINCE_FILES = {"ref_units": "reference/ref_units.csv", "ref_unit_regions": "reference/ref_unit_regions.csv"}
UNIT_TYPES = (
    "municipality",
    "province",
    "autonomous_region",
    "nation",
    "city",
    "county",
    "firm",
    "country",
    "unit",
    "other",
)
TRUE_WORDS, FALSE_WORDS = {"true", "yes", "1", "y", "是"}, {"false", "no", "0", "n", "否"}


class ProjectError(ValueError):
    """A project file a user must fix; the message names the file, row and column."""


@dataclass
class Project:
    root: Path
    name: str
    first_year: int | None  # None: from the data
    last_year: int | None
    units: str  # provinces | custom
    include_units: list[str] = field(default_factory=list)
    exclude_units: list[str] = field(default_factory=list)
    interpolation: str = "components"
    lang: str = "zh"
    data_dir: Path = Path("data")
    output_dir: Path = Path("output")
    warehouse: Path = Path("warehouse/cipanel.duckdb")
    studies_dir: Path = Path("studies")

    @property
    def config_file(self) -> Path:
        return self.root / PROJECT_FILE

    @property
    def years_from_data(self) -> bool:
        return self.first_year is None

    def file(self, name: str) -> Path:
        return self.root / CATALOG_FILES[name][0]

    def study_paths(self) -> list[Path]:
        return sorted(self.studies_dir.glob("*.yml")) + sorted(self.studies_dir.glob("*.yaml"))


def demo_project_dir() -> Path | None:
    """The demo project shipped with the repository (examples/provinces-demo), if present."""
    from cipanel.build import dbt_project_dir

    for base in (Path(__file__).resolve().parents[2], dbt_project_dir()):
        if (base / "examples" / "provinces-demo" / PROJECT_FILE).exists():
            return base / "examples" / "provinces-demo"
    return None


def find_project(explicit: Path | str | None = None) -> Project:
    """The one place a project is resolved: --project, else $CIPANEL_PROJECT, else the working
    directory or one of its parents holding cipanel.yml."""
    if explicit is None and os.environ.get("CIPANEL_PROJECT"):
        explicit = os.environ["CIPANEL_PROJECT"]
    if explicit is not None:
        root = Path(explicit)
        if root.name == PROJECT_FILE:
            root = root.parent
        if not (root / PROJECT_FILE).is_file():
            raise ProjectError(
                f"{root} is not a cipanel project (no {PROJECT_FILE} in it): create one with `cipanel init {root}`"
            )
        return load_project(root)
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / PROJECT_FILE).is_file():
            return load_project(folder)
    raise ProjectError(
        f"no {PROJECT_FILE} in {here} or its parents: create a project with "
        "`cipanel init my-study` and run inside it, or pass --project DIR "
        "(the demo: --project examples/provinces-demo)"
    )


def _year(value, key: str, where: Path) -> int:
    try:
        year = int(str(value).strip())
    except ValueError:
        raise ProjectError(f"{where}: {key} must be a year like 2013, not {value!r}") from None
    if not 1800 <= year <= 2200:
        raise ProjectError(f"{where}: {key} {year} is not a plausible year")
    return year


def load_project(root: Path | str) -> Project:
    root = Path(root).resolve()
    where = root / PROJECT_FILE
    try:
        config = yaml.safe_load(where.read_text(encoding="utf-8-sig")) or {}
    except yaml.YAMLError as exc:
        raise ProjectError(f"{where} is not valid YAML: {exc}") from None
    if not isinstance(config, dict):
        raise ProjectError(f"{where} must be a mapping of settings (name: ..., years: ...)")
    known = {"name", "years", "units", "sample", "interpolation", "language", "output", "warehouse", "data", "studies"}
    unknown = sorted(set(config) - known)
    if unknown:
        raise ProjectError(f"{where}: unknown setting {unknown[0]!r}; the settings are {', '.join(sorted(known))}")
    name = str(config.get("name") or root.name)
    years = config.get("years", "from the data")
    if isinstance(years, str) and years.strip().lower() in ("from the data", "data", "auto"):
        first = last = None
    elif isinstance(years, (list, tuple)) and len(years) == 2:
        first, last = _year(years[0], "years[0]", where), _year(years[1], "years[1]", where)
        if first > last:
            raise ProjectError(f"{where}: years {first}-{last}: the first year is after the last")
    elif isinstance(years, dict) and {"first", "last"} <= set(years):
        first, last = _year(years["first"], "years.first", where), _year(years["last"], "years.last", where)
    else:
        raise ProjectError(
            f'{where}: years must be [first, last] (e.g. [2013, 2022]) or "from the data", not {years!r}'
        )
    units = str(config.get("units", "provinces"))
    if units not in ("provinces", "custom"):
        raise ProjectError(
            f"{where}: units must be provinces (the 31 provinces shipped with cipanel) or custom "
            f"(your own reference/units.csv), not {units!r}"
        )
    sample = config.get("sample") or {}
    if not isinstance(sample, dict) or set(sample) - {"include", "exclude"}:
        raise ProjectError(f"{where}: sample takes include: [unit codes] and exclude: [unit codes]")
    policy = str(config.get("interpolation", "components"))
    if policy not in INTERPOLATION_POLICIES:
        raise ProjectError(f"{where}: interpolation must be one of {', '.join(INTERPOLATION_POLICIES)}, not {policy!r}")
    lang = str(config.get("language", "zh"))
    if lang not in ("zh", "en"):
        raise ProjectError(f"{where}: language must be zh or en, not {lang!r}")

    def path(key: str, default: str) -> Path:
        value = Path(str(config.get(key) or default)).expanduser()
        return value if value.is_absolute() else root / value

    safe_name = re.sub(r"[^\w.-]+", "_", name).strip("_") or "cipanel"
    return Project(
        root=root,
        name=name,
        first_year=first,
        last_year=last,
        units=units,
        include_units=[normalise_code(c) for c in sample.get("include") or []],
        exclude_units=[normalise_code(c) for c in sample.get("exclude") or []],
        interpolation=policy,
        lang=lang,
        data_dir=path("data", "data"),
        output_dir=path("output", "output"),
        warehouse=path("warehouse", f"warehouse/{safe_name}.duckdb"),
        studies_dir=path("studies", "studies"),
    )


def normalise_code(value: object) -> str:
    """A code as text; an integer written as a float by Excel or pandas ('410032.0') loses its '.0'."""
    text = str(value).strip()
    match = INTEGER_WRITTEN_AS_FLOAT.match(text)
    return match.group(1) if match else text


# ---------------------------------------------------------------------------------------------
# catalogs and units


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, file: str, line: int | None, column: str | None, text: str) -> None:
        where = file + (f", row {line}" if line else "") + (f", column {column}" if column else "")
        self.items.append(f"{where}: {text}")

    def raise_if_any(self, project: Project) -> None:
        if self.items:
            shown = self.items[:12]
            more = f"\n  ... and {len(self.items) - len(shown)} more" if len(self.items) > len(shown) else ""
            raise ProjectError(
                f"project {project.root} has {len(self.items)} problem(s) to fix before the build:\n  "
                + "\n  ".join(shown)
                + more
            )


def _read_csv(
    path: Path, label: str, columns: list[str], required: list[str], problems: _Problems, optional_file: bool
) -> pd.DataFrame:
    if not path.is_file():
        if not optional_file:
            problems.add(label, None, None, "file missing (`cipanel init` writes a commented one)")
        return pd.DataFrame({c: pd.Series(dtype="string") for c in columns})
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", skipinitialspace=True)
    except UnicodeDecodeError:
        problems.add(label, None, None, "not UTF-8 text: save it as 'CSV UTF-8' in Excel")
        return pd.DataFrame({c: pd.Series(dtype="string") for c in columns})
    except pd.errors.ParserError as exc:
        problems.add(label, None, None, f"not a readable CSV ({exc})")
        return pd.DataFrame({c: pd.Series(dtype="string") for c in columns})
    frame.columns = [str(c).strip() for c in frame.columns]
    for column in required:
        if column not in frame.columns:
            problems.add(label, 1, column, f"required column missing (the header needs {', '.join(required)})")
    unknown = [c for c in frame.columns if c not in columns]
    for column in unknown:
        problems.add(label, 1, column, f"unknown column; the columns are {', '.join(columns)}")
    for column in columns:
        if column not in frame.columns:
            frame[column] = ""
    return frame[columns].apply(lambda s: s.str.strip()).reset_index(drop=True)


def _check_code(frame, column, label, problems, *, allow_empty=False) -> None:
    for i, value in frame[column].items():
        if value == "" and allow_empty:
            continue
        if value == "":
            problems.add(label, i + 2, column, "empty; every row needs one")
        elif not CODE_PATTERN.match(value):
            hint = f" (write {value.lower()!r})" if CODE_PATTERN.match(value.lower()) else ""
            problems.add(
                label,
                i + 2,
                column,
                f"{value!r} must be lower-case letters, digits and _, starting "
                f"with a letter{hint}: it becomes a column name",
            )


def _duplicates(frame, keys, label, problems) -> None:
    dup = frame[frame.duplicated(keys, keep=False) & (frame[keys] != "").all(axis=1)]
    for _, group in dup.groupby(keys, sort=False):
        lines = ", ".join(str(i + 2) for i in group.index)
        problems.add(
            label,
            int(group.index[0]) + 2,
            "/".join(keys),
            f"{' / '.join(group.iloc[0][keys])} appears in rows {lines}: keep one row",
        )


def _integers(frame, column, label, problems) -> pd.Series:
    out = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    for i, value in frame[column].items():
        if value == "":
            continue
        text = normalise_code(value)
        if re.fullmatch(r"-?[0-9]+", text):
            out[i] = int(text)
        else:
            problems.add(label, i + 2, column, f"{value!r} is not a whole number (a year like 2015, or empty)")
    return out


def _floats(frame, column, label, problems) -> pd.Series:
    out = pd.Series(pd.NA, index=frame.index, dtype="Float64")
    for i, value in frame[column].items():
        if value == "":
            continue
        try:
            out[i] = float(value)
        except ValueError:
            problems.add(label, i + 2, column, f"{value!r} is not a number (or leave it empty for the default)")
    return out


def _booleans(frame, column, label, problems, default) -> pd.Series:
    out = pd.Series(default, index=frame.index, dtype="boolean")
    for i, value in frame[column].items():
        low = value.lower()
        if low in TRUE_WORDS:
            out[i] = True
        elif low in FALSE_WORDS:
            out[i] = False
        elif low != "":
            problems.add(label, i + 2, column, f"{value!r} must be true or false (or empty)")
    return out


def _strings(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.replace("", pd.NA).astype("string")


@dataclass
class ProjectTables:
    """The project's catalogs and units as the landing plugin hands them to dbt (typed, checked)."""

    tables: dict[str, pd.DataFrame]
    notes: list[str]


def project_tables(project: Project) -> ProjectTables:
    """Read and check every catalog and reference file of the project; raise ProjectError with every
    problem found, or return typed frames (an empty catalog keeps its column types)."""
    from cipanel.build import dbt_project_dir
    from cipanel.derived_variables import check_catalog as check_derived_catalog

    problems, notes, raw = _Problems(), [], {}
    for name, (rel, columns, required) in CATALOG_FILES.items():
        if name in PROVINCE_FILES and project.units == "provinces":
            path, label = dbt_project_dir() / "seeds" / PROVINCE_FILES[name], f"(cipanel's provinces) {rel}"
        else:
            path, label = project.root / rel, rel
        optional = name in ("index_catalog", "dimension_catalog", "derived_variable_catalog", "ref_unit_regions")
        raw[name] = (_read_csv(path, label, columns, required, problems, optional), label)
    problems.raise_if_any(project)

    # ---- indices
    indices, label = raw["index_catalog"]
    _check_code(indices, "index_code", label, problems)
    _duplicates(indices, ["index_code"], label, problems)
    for i, value in indices["weighting"].items():
        if value not in ("", "pooled", "per_year"):
            problems.add(label, i + 2, "weighting", f"{value!r} must be pooled or per_year (or empty: pooled)")
    for i, value in indices["score_basis"].items():
        if value not in ("", "z", "z_shifted", "p"):
            problems.add(label, i + 2, "score_basis", f"{value!r} must be z, z_shifted or p (or empty: z_shifted)")
    index_table = _strings(indices[["index_code", "label_zh", "label_en", "study", "weighting", "score_basis"]])
    index_table["shift"] = _floats(indices, "shift", label, problems)
    index_table["scale"] = _floats(indices, "scale", label, problems)
    index_table["window_start"] = _integers(indices, "window_start", label, problems)
    index_table["window_end"] = _integers(indices, "window_end", label, problems)
    index_codes = set(indices["index_code"])

    # ---- dimensions
    dims, dlabel = raw["dimension_catalog"]
    _check_code(dims, "dimension_code", dlabel, problems)
    _duplicates(dims, ["index_code", "dimension_code"], dlabel, problems)
    for i, value in dims["index_code"].items():
        if value not in index_codes:
            problems.add(
                dlabel,
                i + 2,
                "index_code",
                f"unknown index {value!r}: add it to catalog/index_catalog.csv or remove this row",
            )
    dimension_keys = set(zip(dims["index_code"], dims["dimension_code"]))

    # ---- indicators
    ind, ilabel = raw["indicator_catalog"]
    if ind.empty:
        problems.add(
            ilabel,
            None,
            None,
            "no rows: add one row per variable (an index component, or a standalone variable with index_code empty)",
        )
    _check_code(ind, "indicator_code", ilabel, problems)
    _duplicates(ind, ["indicator_code", "index_code"], ilabel, problems)
    for i, r in ind.iterrows():
        line = i + 2
        if r.index_code:
            if r.index_code not in index_codes:
                problems.add(
                    ilabel,
                    line,
                    "index_code",
                    f"unknown index {r.index_code!r} of {r.indicator_code}: add a "
                    "row to catalog/index_catalog.csv, or leave index_code empty for a standalone variable",
                )
            elif (r.index_code, r.dimension_code) not in dimension_keys:
                known = sorted(d for x, d in dimension_keys if x == r.index_code)
                problems.add(
                    ilabel,
                    line,
                    "dimension_code",
                    f"{r.indicator_code}: dimension {r.dimension_code!r} is not a dimension of index "
                    f"{r.index_code} in catalog/dimension_catalog.csv (known: {', '.join(known) or 'none'})",
                )
            if r.direction not in ("+", "-"):
                problems.add(
                    ilabel,
                    line,
                    "direction",
                    f"{r.indicator_code} in index {r.index_code}: direction "
                    f"{r.direction!r} must be + (higher is better) or - (higher is worse)",
                )
        elif r.direction not in ("",):
            problems.add(
                ilabel,
                line,
                "direction",
                f"{r.indicator_code} is a standalone variable (no index_code): "
                "leave direction empty, or give its index",
            )
        if r.scope not in ("", "unit", "national"):
            problems.add(ilabel, line, "scope", f"{r.scope!r} must be unit or national (or empty: unit)")
    for code in sorted(index_codes - set(ind["index_code"])):
        notes.append(f"index {code} has no components in catalog/indicator_catalog.csv: it gets no scores")
    scopes = ind.groupby("indicator_code")["scope"].agg(lambda s: len(set(x or "unit" for x in s)))
    for code in scopes[scopes > 1].index:
        problems.add(ilabel, None, "scope", f"{code} has different scopes in different rows: give one")
    interpolate = _booleans(ind, "interpolate", ilabel, problems, pd.NA)
    is_component = ind.groupby("indicator_code")["index_code"].transform(lambda s: (s != "").any())
    policy = {
        "components": is_component,
        "all": pd.Series(True, index=ind.index),
        "none": pd.Series(False, index=ind.index),
    }[project.interpolation]
    indicator_table = _strings(ind.drop(columns=["first_year", "last_year", "interpolate"]))
    indicator_table["first_year"] = _integers(ind, "first_year", ilabel, problems)
    indicator_table["last_year"] = _integers(ind, "last_year", ilabel, problems)
    # the catalog column wins over the project's policy; one value per indicator
    indicator_table["interpolate"] = interpolate.fillna(policy.astype("boolean"))
    conflicting = indicator_table.groupby("indicator_code")["interpolate"].nunique()
    for code in conflicting[conflicting > 1].index:
        problems.add(ilabel, None, "interpolate", f"{code}: rows disagree on interpolate; give one value")

    # ---- derived variables (expressions over the indicators: cipanel.derived_variables); a row
    # whose first cell starts with # is a comment (the template's example), its line number kept
    derived, dvlabel = raw["derived_variable_catalog"]
    derived = derived[~derived["variable_code"].str.startswith("#")]
    taken = set(ind["indicator_code"]) | index_codes | {f"{i}_{d}" for i, d in dimension_keys}
    derived_table = check_derived_catalog(
        derived, set(ind["indicator_code"]), taken, lambda line, column, text: problems.add(dvlabel, line, column, text)
    )

    # ---- units
    units, ulabel = raw["ref_units"]
    normalised = units["unit_code"].map(normalise_code)
    changed = int((normalised != units["unit_code"]).sum())
    if changed:
        notes.append(
            f"{ulabel}: {changed} unit code(s) written as decimals (e.g. "
            f"{units['unit_code'][normalised != units['unit_code']].iloc[0]!r}) read as whole numbers"
        )
    units["unit_code"] = normalised
    for i, value in units["unit_code"].items():
        if value == "":
            problems.add(ulabel, i + 2, "unit_code", "empty; every unit needs a code")
    _duplicates(units, ["unit_code"], ulabel, problems)
    # names are optional; given ones must not point at two units (a name is a way to write the unit)
    seen: dict[str, tuple[int, str]] = {}
    for column in ("name_zh", "short_name_zh", "name_en"):
        for i, value in units[column].items():
            key = re.sub(r"\s+", "", value).lower()
            if not key:
                continue
            other = seen.get(key)
            if other and other[1] != units["unit_code"][i]:
                problems.add(
                    ulabel,
                    i + 2,
                    column,
                    f"name {value!r} also names unit {other[1]} (row {other[0]}): "
                    "names must be unique, or leave them empty",
                )
            seen.setdefault(key, (i + 2, units["unit_code"][i]))
    unit_table = _strings(units[["unit_code", "name_zh", "short_name_zh", "name_en", "unit_type"]])
    unit_table["unit_type"] = unit_table["unit_type"].fillna("unit")
    for i, value in unit_table["unit_type"].items():
        if value not in UNIT_TYPES:
            problems.add(
                ulabel, i + 2, "unit_type", f"{value!r} must be one of {', '.join(UNIT_TYPES)} (or empty: unit)"
            )
    unit_table["is_municipality"] = _booleans(units, "is_municipality", ulabel, problems, False)
    unit_table["in_sample"] = _booleans(units, "in_sample", ulabel, problems, True)
    known_units = set(unit_table["unit_code"].dropna())
    for key, codes, value in (("include", project.include_units, True), ("exclude", project.exclude_units, False)):
        for code in codes:
            if code not in known_units:
                problems.add(PROJECT_FILE, None, f"sample.{key}", f"unknown unit {code!r} (see {ulabel})")
            else:
                unit_table.loc[unit_table["unit_code"] == code, "in_sample"] = value
    if project.include_units or project.exclude_units:
        notes.append(
            f"sample rules of {PROJECT_FILE}: included {project.include_units or 'none'}, "
            f"excluded {project.exclude_units or 'none'}"
        )

    regions, rlabel = raw["ref_unit_regions"]
    regions["unit_code"] = regions["unit_code"].map(normalise_code)
    _check_code(regions, "scheme", rlabel, problems)
    _duplicates(regions, ["scheme", "unit_code"], rlabel, problems)
    for i, value in regions["unit_code"].items():
        if value not in known_units:
            problems.add(rlabel, i + 2, "unit_code", f"unknown unit {value!r}: not in {ulabel}")

    problems.raise_if_any(project)
    return ProjectTables(
        {
            "indicator_catalog": indicator_table,
            "index_catalog": index_table,
            "dimension_catalog": _strings(dims),
            "derived_variable_catalog": derived_table,
            "ref_units": unit_table,
            "ref_unit_regions": _strings(regions),
        },
        notes,
    )


def check_index_windows(project: Project, tables: ProjectTables, first: int, last: int, source: str) -> None:
    """Every index window inside the panel window: an index asked for years the panel does not have
    would otherwise be estimated on fewer years, silently."""
    problems = _Problems()
    label = CATALOG_FILES["index_catalog"][0]
    for i, r in tables.tables["index_catalog"].iterrows():
        # an empty side of the window is the panel's
        start = int(r.window_start) if pd.notna(r.window_start) else first
        end = int(r.window_end) if pd.notna(r.window_end) else last
        if start < first or end > last:
            problems.add(
                label,
                i + 2,
                "window_start/window_end",
                f"index {r.index_code}: window {start}-{end} is outside the panel years {first}-{last} "
                f"({source}): shorten the index window or change `years` in {PROJECT_FILE}",
            )
    problems.raise_if_any(project)


def data_years(project: Project, input_dir: Path, tables: ProjectTables) -> tuple[int, int]:
    """The panel window of `years: from the data`: the first and last year of unit-level values of
    catalog indicators without their own first_year / last_year (a 1984 base-year value or a
    lagged national series does not widen the panel)."""
    from cipanel.landing.land import land_directory

    catalog = tables.tables["indicator_catalog"]
    usable = catalog[
        (catalog["scope"].fillna("unit") == "unit") & catalog["first_year"].isna() & catalog["last_year"].isna()
    ]
    codes = set(usable["indicator_code"].dropna())
    labels = set(usable["label_zh"].dropna())
    landed = land_directory(input_dir)
    landed = landed[landed["indicator_raw"].str.strip().isin(codes | labels)]
    years = landed["year_raw"].str.strip().str.extract(r"^([0-9]{4})年?$")[0].dropna().astype(int)
    if years.empty:
        raise ProjectError(
            f"{input_dir}: no value of a catalog indicator with a readable year, so the panel years "
            f"cannot come from the data: check the files, or set `years: [first, last]` in {PROJECT_FILE}"
        )
    return int(years.min()), int(years.max())

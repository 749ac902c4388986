"""Study specifications: a YAML file declares the panel, the variables and every table's columns,
so a new study is a new file, not new Python. Validation names the offending key and what is allowed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from cipanel.study.errors import SpecError, StudyError  # noqa: F401 (both are imported from here)
from cipanel.study.expressions import validate_expression

if TYPE_CHECKING:
    from collections.abc import Iterable

TABLE_KINDS = {"descriptive", "regression", "iv", "gmm", "threshold", "spatial"}
EFFECTS = {"none", "entity", "twoway"}
COVS = {"clustered", "robust", "unadjusted", "driscoll_kraay"}
STATS = {"t", "se"}
SPLIT_RULES = {"median_of_unit_means"}
SPLIT_SIDES = {"high", "low"}

# Keys a column may set; defaults come from the table, then from the study's `model` block.
MODEL_KEYS = {
    "outcome": str,
    "treatment": str,
    "controls": list,
    "effects": str,
    "cov": str,
    "cluster": (str, list),  # a list: two-way (multi-way) clustering, vce(cluster a b)
    "bandwidth": int,
    "trends": bool,
    "where": str,
    "split": dict,
    "lead": int,
    "winsorize": (bool, list),
    "instruments": list,
    "gmm": dict,
    "threshold": dict,
    "spatial": dict,
    "formula": str,  # fixest syntax (cipanel.formula): replaces outcome/treatment/controls/effects
    "estimator": str,  # ols (default) or fd: first differences, Stata reg D.(y x)
}
COLUMN_KEYS = {**MODEL_KEYS, "title": (str, dict), "group": (str, dict)}
INFERENCE_KEYS = {"wild_bootstrap", "group_tests", "placebo"}
TABLE_KEYS = {"id", "kind", "title", "stat", "keep", "columns", "variables", "notes", *INFERENCE_KEYS, *MODEL_KEYS}
STUDY_KEYS = {
    "study",
    "title",
    "source",
    "synthetic_note",
    "panel",
    "labels",
    "model",
    "tables",
    "figures",
    "output",
    "analytics",
}  # output: cipanel.output.table_format; analytics: cipanel.analytics.config
PANEL_KEYS = {"relation", "entity", "time", "years", "where", "units"}
UNIT_RULE_KEYS = {"include", "exclude", "exclude_flags"}
FIGURE_KEYS = {"index_trends", "weights", "coefficients"}

# Names that become file and folder names (output/<study>/<table>.md) and SQL identifiers: letters,
# digits, _ and - only, so a spec cannot write outside the output folder (`study: ../x`).
SAFE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")
WINDOWS_DEVICE_NAMES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")
# panel.relation names a table or view of the warehouse, never a query or table function
RELATION = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}\.[A-Za-z_][A-Za-z0-9_]{0,127}$")


@dataclass
class ColumnSpec:
    title: str
    group: str
    model: dict[str, Any]
    # spec key each model key came from ("tables[3].columns[1].where", "model.controls"), for messages
    origins: dict[str, str] = field(default_factory=dict)


@dataclass
class TableSpec:
    id: str
    kind: str
    title: str
    stat: str
    keep: list[str]
    columns: list[ColumnSpec]
    variables: list[str]
    notes: list[str]
    inference: dict[str, Any] = field(default_factory=dict)  # wild_bootstrap, group_tests, placebo


@dataclass
class StudySpec:
    study: str
    title: str
    source: str
    panel: dict[str, Any]
    labels: dict[str, dict[str, str]]
    tables: list[TableSpec]
    figures: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    output: dict[str, Any] = field(default_factory=dict)  # decimals, stars, stat, rows

    def label(self, name: str, lang: str) -> str:
        entry = self.labels.get(name, {})
        return entry.get(lang) or entry.get("en") or name

    def key(self, where: str) -> str:
        """`file: key` as spec errors name it."""
        return f"{self.path}: {where}"


def _fail(path: Path, where: str, message: str):
    raise SpecError(f"{path}: {where}: {message}")


def _check_keys(path: Path, where: str, mapping: Any, allowed: set[str]) -> None:
    if not isinstance(mapping, dict):
        _fail(path, where, f"expected a mapping, got {type(mapping).__name__}")
    unknown = sorted(set(mapping) - set(allowed))
    if unknown:
        _fail(path, where, f"unknown key {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}")


def _check_model(path: Path, where: str, model: dict[str, Any]) -> None:
    for key, value in model.items():
        expected = COLUMN_KEYS.get(key)
        if expected is None:
            continue
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            names = expected.__name__ if isinstance(expected, type) else " or ".join(t.__name__ for t in expected)
            _fail(path, f"{where}.{key}", f"expected {names}, got {value!r}")
    choices = {"effects": EFFECTS, "cov": COVS, "estimator": {"ols", "fd"}}
    for key, allowed in choices.items():
        if key in model and model[key] not in allowed:
            _fail(path, f"{where}.{key}", f"{model[key]!r} is not allowed; use one of {', '.join(sorted(allowed))}")
    split = model.get("split")
    if split is not None:
        _check_keys(path, f"{where}.split", split, {"variable", "rule", "side"})
        if split.get("rule", "median_of_unit_means") not in SPLIT_RULES:
            _fail(path, f"{where}.split.rule", f"use one of {', '.join(sorted(SPLIT_RULES))}")
        if split.get("side") not in SPLIT_SIDES:
            _fail(path, f"{where}.split.side", f"use one of {', '.join(sorted(SPLIT_SIDES))}")
        if "variable" not in split:
            _fail(path, f"{where}.split", "missing key 'variable'")


def _check_name(path: Path, where: str, value: Any, what: str) -> str:
    name = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if not SAFE_NAME.match(name) or name.lower() in WINDOWS_DEVICE_NAMES:
        _fail(
            path,
            where,
            f"{value!r} is not a valid {what}: it names files in the output folder, so use "
            "letters, digits, _ and - (starting with a letter, at most 64 characters; no dots, slashes or spaces)",
        )
    return name


def _check_where(path: Path, where: str, model: dict[str, Any]) -> None:
    if "where" in model and not isinstance(model["where"], str):
        _fail(path, f"{where}.where", f"expected a condition as text, got {model['where']!r}")


def check_expressions(spec: StudySpec, columns: Iterable[str] | None = None) -> None:
    """Parse and check every `where` of the spec against the allow-list (and, given the panel's
    columns, that each column exists) before anything runs; the error names the file and key.
    Called by the runner and by the pipeline for all specs before any work, not by load_spec, so
    a spec with a bad filter can still be loaded and inspected."""
    if spec.panel.get("where"):
        validate_expression(spec.panel["where"], columns, spec.key("panel.where"))
    for table in spec.tables:
        for column in table.columns:
            if column.model.get("where"):
                validate_expression(column.model["where"], columns, spec.key(column.origins["where"]))


def _uses_formula(model: dict[str, Any]) -> bool:
    from cipanel.formula import spec_uses_formula

    return spec_uses_formula(model)


def _check_variables(path: Path, where: str, model: dict[str, Any]) -> None:
    """Every name a column's model uses is a plain column name, and none is used twice."""
    roles = [
        ("outcome", [model["outcome"]]),
        ("treatment", [model["treatment"]] if "treatment" in model else []),
        ("controls", model.get("controls") or []),
        ("instruments", model.get("instruments") or []),
    ]
    seen: dict[str, str] = {}
    for role, names in roles:
        for name in names:
            if not isinstance(name, str) or not IDENTIFIER.match(name):
                _fail(path, f"{where}.{role}", f"{name!r} is not a column name (letters, digits and _)")
            if name in seen:
                _fail(
                    path,
                    f"{where}.{role}",
                    f"{name!r} is already the {seen[name]} of this column; use each variable once",
                )
            seen[name] = role
    _check_cluster(path, where, model)


def _check_cluster(path: Path, where: str, model: dict[str, Any]) -> None:
    """`cluster`: a column name, or a non-empty list of them (multi-way clustering)."""
    clusters = model.get("cluster", [])
    names = [clusters] if isinstance(clusters, str) else clusters
    if "cluster" in model and not names:
        _fail(path, f"{where}.cluster", "an empty list; name the cluster column(s)")
    for name in names:
        if not isinstance(name, str) or not IDENTIFIER.match(name):
            _fail(path, f"{where}.cluster", f"{name!r} is not a column name")


def _gmm_model(
    path: Path, where: str, model: dict[str, Any], origins: dict[str, str], inherited: set[str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """A gmm column names its regressors (gmm.regressors or a formula `y ~ L.y + x + yr*`); the
    study's treatment / controls / effects / cov then mean nothing to it and are not inherited
    from the model block, and setting them on the table or column is an error."""
    block = model.get("gmm")
    if not isinstance(block, dict) or not (block.get("regressors") or model.get("formula")):
        return model, origins  # no regressors named: treatment + controls, as before
    unused = ("treatment", "controls", "effects", "cov", "cluster", "bandwidth", "trends", "instruments")
    for key in unused:
        if key in model and not origins.get(key, "").startswith("model."):
            _fail(
                path,
                origins.get(key, where),
                f"a gmm column takes its regressors from gmm.regressors or its formula; {key!r} means nothing here",
            )
    keep = {k: v for k, v in model.items() if k not in unused}
    if model.get("formula"):
        keep.pop("outcome", None)  # the formula's left-hand side
    return keep, {k: v for k, v in origins.items() if k in keep}


def _check_panel(path: Path, panel: dict[str, Any]) -> dict[str, Any]:
    relation = panel["relation"]
    if not isinstance(relation, str) or not RELATION.match(relation):
        _fail(
            path,
            "panel.relation",
            f"{relation!r} is not a relation name; write schema.table of a table or "
            "view in the warehouse (e.g. marts.fct_panel), never a query or a function such as read_csv",
        )
    for key in ("entity", "time"):
        if not isinstance(panel[key], str) or not IDENTIFIER.match(panel[key]):
            _fail(path, f"panel.{key}", f"{panel[key]!r} is not a column name (letters, digits and _)")
    years = panel.get("years")
    if years is not None:
        if (
            not isinstance(years, list)
            or len(years) != 2
            or not all(isinstance(y, int) and not isinstance(y, bool) for y in years)
            or years[0] > years[1]
        ):
            _fail(path, "panel.years", f"expected [first, last] as two years with first <= last, got {years!r}")
    _check_where(path, "panel", panel)
    units = panel.get("units")
    if units is not None:
        _check_keys(path, "panel.units", units, UNIT_RULE_KEYS)
        rules = {}
        for key in ("include", "exclude", "exclude_flags"):
            values = units.get(key) or []
            if not isinstance(values, list):
                _fail(path, f"panel.units.{key}", f"expected a list, got {values!r}")
            for value in values:
                if isinstance(value, bool) or not isinstance(value, (str, int)):
                    _fail(path, f"panel.units.{key}", f"{value!r} is not a unit code")
                if key == "exclude_flags" and not (isinstance(value, str) and IDENTIFIER.match(value)):
                    _fail(path, f"panel.units.{key}", f"{value!r} is not a column name of marts.dim_units")
            rules[key] = [str(v) for v in values]
        both = sorted(set(rules["include"]) & set(rules["exclude"]))
        if both:
            _fail(path, "panel.units", f"unit {both[0]!r} is both included and excluded")
        panel = {**panel, "units": rules}
    return panel


def _check_figures(path: Path, figures: Any, table_ids: set[str]) -> dict[str, Any]:
    figures = figures or {}
    _check_keys(path, "figures", figures, FIGURE_KEYS)
    coefficients = figures.get("coefficients")
    if coefficients is not None:
        _check_keys(path, "figures.coefficients", coefficients, {"table", "term"})
        if coefficients.get("table") not in table_ids:
            _fail(
                path,
                "figures.coefficients.table",
                f"{coefficients.get('table')!r} is not a table id of this spec ({', '.join(sorted(table_ids))})",
            )
    return figures


def _text(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("en") or next(iter(value.values()), ""))
    return "" if value is None else str(value)


def load_spec(path: Path | str, lang: str = "zh") -> StudySpec:
    path = Path(path)
    if not path.is_file():
        raise SpecError(f"{path}: no such study spec")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SpecError(f"{path}: not valid YAML: {exc}") from None
    _check_keys(path, "top level", raw, STUDY_KEYS)
    for key in ("study", "panel", "tables"):
        if key not in raw:
            _fail(path, "top level", f"missing key {key!r}")
    study = _check_name(path, "study", raw["study"], "study name")
    panel = raw["panel"]
    _check_keys(path, "panel", panel, PANEL_KEYS)
    panel = _check_panel(path, {"relation": "marts.fct_panel", "entity": "unit_code", "time": "year", **panel})
    defaults = raw.get("model", {}) or {}
    _check_keys(path, "model", defaults, set(MODEL_KEYS))
    _check_model(path, "model", defaults)
    _check_where(path, "model", defaults)
    if not isinstance(raw["tables"], list) or not raw["tables"]:
        _fail(path, "tables", "expected a non-empty list of tables")
    tables, seen = [], set()
    for i, table in enumerate(raw["tables"]):
        where = f"tables[{i}]"
        _check_keys(path, where, table, TABLE_KEYS)
        if "id" not in table:
            _fail(path, where, "missing key 'id'")
        table_id = _check_name(path, f"{where}.id", table["id"], "table id")
        if table_id in seen:
            _fail(path, f"{where}.id", f"duplicate table id {table_id!r}")
        seen.add(table_id)
        kind = table.get("kind", "regression")
        if kind not in TABLE_KINDS:
            _fail(path, f"{where}.kind", f"{kind!r} is not allowed; use one of {', '.join(sorted(TABLE_KINDS))}")
        stat = table.get("stat", "t")
        if stat not in STATS:
            _fail(path, f"{where}.stat", f"{stat!r} is not allowed; use t or se")
        table_model = {k: v for k, v in table.items() if k in MODEL_KEYS}
        _check_model(path, where, table_model)
        _check_where(path, where, table_model)
        from cipanel.study.inference_rows import check_options  # heavy imports only when a spec is read

        check_options({k: table[k] for k in INFERENCE_KEYS if k in table}, f"{path}: {where}")
        columns = []
        if kind == "descriptive":
            if not table.get("variables"):
                _fail(path, where, "a descriptive table needs 'variables'")
        else:
            if not isinstance(table.get("columns"), list) or not table["columns"]:
                _fail(path, f"{where}.columns", "expected a non-empty list of columns")
            for j, column in enumerate(table["columns"]):
                cwhere = f"{where}.columns[{j}]"
                _check_keys(path, cwhere, column or {}, set(COLUMN_KEYS))
                own = {k: v for k, v in (column or {}).items() if k in MODEL_KEYS}
                model = {**defaults, **table_model, **own}
                origins = {
                    **{k: f"model.{k}" for k in defaults},
                    **{k: f"{where}.{k}" for k in table_model},
                    **{k: f"{cwhere}.{k}" for k in own},
                }
                if kind == "gmm":
                    model, origins = _gmm_model(path, cwhere, model, origins, set(defaults))
                _check_model(path, cwhere, model)
                _check_where(path, cwhere, own)
                for required in ("outcome", "treatment"):
                    if required == "treatment" and kind == "gmm" and (model.get("gmm") or {}).get("regressors"):
                        continue  # its regressors are gmm.regressors or the formula
                    if required not in model and not model.get("formula"):
                        _fail(path, cwhere, f"no {required!r} here, in the table or in the study's model block")
                if kind == "iv" and not model.get("instruments") and "|" not in model.get("formula", ""):
                    _fail(path, cwhere, "an iv column needs 'instruments'")
                if kind == "gmm" and not model.get("gmm"):
                    _fail(path, cwhere, "a gmm column needs a 'gmm' block")
                if kind in ("threshold", "spatial") and not model.get(kind):
                    _fail(path, cwhere, f"a {kind} column needs a '{kind}' block")
                if not _uses_formula(model):  # formulas and expressions are checked by cipanel.formula
                    _check_variables(path, cwhere, model)
                else:
                    _check_cluster(path, cwhere, model)
                columns.append(
                    ColumnSpec(
                        _text((column or {}).get("title"), lang),
                        _text((column or {}).get("group"), lang),
                        model,
                        origins,
                    )
                )
        tables.append(
            TableSpec(
                id=str(table_id),
                kind=kind,
                title=_text(table.get("title"), lang),
                stat=stat,
                keep=list(table.get("keep") or []),
                columns=columns,
                variables=list(table.get("variables") or []),
                notes=[_text(n, lang) for n in table.get("notes") or []],
                inference={k: table[k] for k in INFERENCE_KEYS if k in table},
            )
        )
    labels = raw.get("labels") or {}
    if not isinstance(labels, dict):
        _fail(path, "labels", "expected a mapping of variable -> {zh: ..., en: ...}")
    figures = _check_figures(path, raw.get("figures"), seen)
    return StudySpec(
        study=study,
        title=_text(raw.get("title"), lang),
        source=_text(raw.get("source"), lang),
        panel=panel,
        labels={k: (v if isinstance(v, dict) else {"en": str(v), "zh": str(v)}) for k, v in labels.items()},
        tables=tables,
        figures=figures,
        path=path,
        output=raw.get("output") or {},
    )

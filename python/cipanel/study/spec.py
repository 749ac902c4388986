"""Study specifications: a YAML file declares the panel, the variables and every table's columns,
so a new study is a new file, not new Python. Validation names the offending key and what is allowed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

TABLE_KINDS = {"descriptive", "regression", "iv", "gmm"}
EFFECTS = {"none", "entity", "twoway"}
COVS = {"clustered", "robust", "unadjusted", "driscoll_kraay"}
STATS = {"t", "se"}
SPLIT_RULES = {"median_of_unit_means"}
SPLIT_SIDES = {"high", "low"}

# Keys a column may set; defaults come from the table, then from the study's `model` block.
MODEL_KEYS = {
    "outcome": str, "treatment": str, "controls": list, "effects": str, "cov": str, "cluster": str,
    "bandwidth": int, "trends": bool, "where": str, "split": dict, "lead": int, "winsorize": (bool, list),
    "instruments": list, "gmm": dict,
}
COLUMN_KEYS = {**MODEL_KEYS, "title": (str, dict), "group": (str, dict)}
INFERENCE_KEYS = {"wild_bootstrap", "group_tests", "placebo"}
TABLE_KEYS = {"id", "kind", "title", "stat", "keep", "columns", "variables", "notes", *INFERENCE_KEYS, *MODEL_KEYS}
STUDY_KEYS = {"study", "title", "source", "synthetic_note", "panel", "labels", "model", "tables", "figures",
              "analytics"}  # analytics: validated by cipanel.analytics.config
PANEL_KEYS = {"relation", "entity", "time", "years", "where"}


class SpecError(ValueError):
    """An invalid study spec; the message names the file and the key path."""


@dataclass
class ColumnSpec:
    title: str
    group: str
    model: dict[str, Any]


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

    def label(self, name: str, lang: str) -> str:
        entry = self.labels.get(name, {})
        return entry.get(lang) or entry.get("en") or name


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
    choices = {"effects": EFFECTS, "cov": COVS}
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
    panel = raw["panel"]
    _check_keys(path, "panel", panel, PANEL_KEYS)
    panel = {"relation": "marts.fct_panel", "entity": "unit_code", "time": "year", **panel}
    defaults = raw.get("model", {}) or {}
    _check_keys(path, "model", defaults, set(MODEL_KEYS))
    _check_model(path, "model", defaults)
    if not isinstance(raw["tables"], list) or not raw["tables"]:
        _fail(path, "tables", "expected a non-empty list of tables")
    tables, seen = [], set()
    for i, table in enumerate(raw["tables"]):
        where = f"tables[{i}]"
        _check_keys(path, where, table, TABLE_KEYS)
        table_id = table.get("id") or _fail(path, where, "missing key 'id'")
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
                model = {**defaults, **table_model, **{k: v for k, v in (column or {}).items() if k in MODEL_KEYS}}
                _check_model(path, cwhere, model)
                for required in ("outcome", "treatment"):
                    if required not in model:
                        _fail(path, cwhere, f"no {required!r} here, in the table or in the study's model block")
                if kind == "iv" and not model.get("instruments"):
                    _fail(path, cwhere, "an iv column needs 'instruments'")
                if kind == "gmm" and not model.get("gmm"):
                    _fail(path, cwhere, "a gmm column needs a 'gmm' block")
                columns.append(ColumnSpec(_text((column or {}).get("title"), lang), _text((column or {}).get("group"), lang), model))
        tables.append(TableSpec(
            id=str(table_id), kind=kind, title=_text(table.get("title"), lang), stat=stat,
            keep=list(table.get("keep") or []), columns=columns, variables=list(table.get("variables") or []),
            notes=[_text(n, lang) for n in table.get("notes") or []],
            inference={k: table[k] for k in INFERENCE_KEYS if k in table},
        ))
    labels = raw.get("labels") or {}
    if not isinstance(labels, dict):
        _fail(path, "labels", "expected a mapping of variable -> {zh: ..., en: ...}")
    return StudySpec(
        study=str(raw["study"]), title=_text(raw.get("title"), lang), source=_text(raw.get("source"), lang),
        panel=panel, labels={k: (v if isinstance(v, dict) else {"en": str(v), "zh": str(v)}) for k, v in labels.items()},
        tables=tables, figures=raw.get("figures") or {}, path=path,
    )

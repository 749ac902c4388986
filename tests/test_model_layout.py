"""The dbt project's layout rules, checked on its files (no build): intermediate models are grouped
by concern with one properties file per folder and never read a mart, and the rules that were once
written twice (the weight-group encoding, the list of weighted-sum methods) are written once."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "models"
INTERMEDIATE = MODELS / "intermediate"
CONCERNS = ("indicator_values", "indices", "panel")
REF = re.compile(r"""ref\(\s*['"]([A-Za-z0-9_]+)['"]\s*\)""")


def model_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".sql", ".py"))


def documented_models(properties: Path) -> set[str]:
    properties_yaml = yaml.safe_load(properties.read_text(encoding="utf-8"))
    return {m["name"] for m in properties_yaml.get("models") or []}


def test_intermediate_models_live_in_one_folder_per_concern_with_their_own_properties_file():
    assert model_files(INTERMEDIATE), "no intermediate models found"
    loose = [p.name for p in model_files(INTERMEDIATE) if p.parent == INTERMEDIATE]
    assert not loose, f"models directly in models/intermediate/: {loose}"
    assert sorted(p.name for p in INTERMEDIATE.iterdir() if p.is_dir()) == sorted(CONCERNS)
    for concern in CONCERNS:
        folder = INTERMEDIATE / concern
        properties = sorted(folder.glob("_*__models.yml"))
        assert len(properties) == 1, f"{folder}: expected one properties file, found {properties}"
        models, documented = {p.stem for p in model_files(folder)}, documented_models(properties[0])
        assert models == documented, f"{folder}: {sorted(models)} vs {sorted(documented)}"


def test_no_intermediate_model_reads_a_mart():
    marts = {p.stem for p in model_files(MODELS / "marts")}
    assert {"fct_index_scores", "fct_panel"} <= marts  # the check below looks at real mart names
    readers = {
        f"{p.relative_to(ROOT)} -> {name}"
        for p in model_files(INTERMEDIATE)
        for name in REF.findall(p.read_text(encoding="utf-8"))
        if name in marts
    }
    assert not readers, f"intermediate models read marts: {sorted(readers)}"


def sql_files() -> list[Path]:
    folders = ("models", "data-tests", "analyses")
    return [p for folder in folders for p in sorted((ROOT / folder).rglob("*.sql"))]


def test_weight_group_encoding_is_written_only_in_its_macro():
    # encoding: `case when weighting = 'per_year' then year else -1 end`;
    # decoding: `weight_group >= 0` or `max(weight_group) = -1`
    encoded = re.compile(r"'per_year'\s+then")
    decoded = re.compile(r"weight_group\s*(>=|>|<)\s*0|weight_group\)?\s*=\s*-1")
    texts = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in sql_files()}
    offenders = [n for n, text in texts.items() if encoded.search(text) or decoded.search(text)]
    # (a join `a.weight_group = b.weight_group` is not a decoding and does not match)
    assert not offenders, f"use cipanel.weight_group / cipanel.weight_group_year: {offenders}"
    assert encoded.search((ROOT / "macros" / "weight_groups.sql").read_text(encoding="utf-8"))


def test_weighted_methods_are_listed_only_in_their_macro():
    listed = re.compile(r"'entropy',\s*'equal',\s*'critic'")
    texts = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in sql_files()}
    offenders = [name for name, text in texts.items() if listed.search(text)]
    assert not offenders, f"use cipanel.weighted_score_methods(): {offenders}"


def test_indicator_window_default_is_resolved_in_one_model():
    # coalesce(<first_year or last_year>, {{ var('panel_start_year' / 'panel_end_year') }})
    defaulted = re.compile(r"coalesce\((min\()?(\w+\.)?(first|last)_year\)?,\s*\{\{\s*var\('panel_(start|end)_year'\)")
    texts = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in sql_files()}
    where = [name for name, text in texts.items() if defaulted.search(text)]
    assert where == ["models/intermediate/indicator_values/int_indicator_attributes.sql"], where

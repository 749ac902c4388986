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
    return {m["name"] for m in (yaml.safe_load(properties.read_text(encoding="utf-8")).get("models") or [])}


def test_intermediate_models_live_in_one_folder_per_concern_with_their_own_properties_file():
    assert model_files(INTERMEDIATE), "no intermediate models found"
    assert all(p.parent != INTERMEDIATE for p in model_files(INTERMEDIATE)), "a model sits directly in models/intermediate/"
    assert sorted(p.name for p in INTERMEDIATE.iterdir() if p.is_dir()) == sorted(CONCERNS)
    for concern in CONCERNS:
        folder = INTERMEDIATE / concern
        properties = sorted(folder.glob("_*__models.yml"))
        assert len(properties) == 1, f"{folder}: expected one properties file, found {properties}"
        models = {p.stem for p in model_files(folder)}
        assert models == documented_models(properties[0]), (
            f"{folder}: models {sorted(models)} vs documented {sorted(documented_models(properties[0]))}")


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
    return [p for folder in ("models", "data-tests", "analyses") for p in sorted((ROOT / folder).rglob("*.sql"))]


def test_weight_group_encoding_is_written_only_in_its_macro():
    # encoding: `case when weighting = 'per_year' then year else -1 end`; decoding: `weight_group >= 0`
    encoded = re.compile(r"'per_year'\s+then")
    decoded = re.compile(r"weight_group\s*(>=|>|<)\s*0|weight_group\)?\s*=\s*-1")
    offenders = [str(p.relative_to(ROOT)) for p in sql_files()
                 if encoded.search(p.read_text(encoding="utf-8")) or decoded.search(p.read_text(encoding="utf-8"))]
    assert not offenders, f"use cipanel.weight_group / cipanel.weight_group_year: {offenders}"
    assert encoded.search((ROOT / "macros" / "weight_groups.sql").read_text(encoding="utf-8"))


def test_weighted_methods_are_listed_only_in_their_macro():
    listed = re.compile(r"'entropy',\s*'equal',\s*'critic'")
    offenders = [str(p.relative_to(ROOT)) for p in sql_files() if listed.search(p.read_text(encoding="utf-8"))]
    assert not offenders, f"use cipanel.weighted_score_methods(): {offenders}"


def test_indicator_window_default_is_resolved_in_one_model():
    # coalesce(<first_year or last_year>, {{ var('panel_start_year' / 'panel_end_year') }})
    defaulted = re.compile(r"coalesce\((min\()?(\w+\.)?(first|last)_year\)?,\s*\{\{\s*var\('panel_(start|end)_year'\)")
    where = [str(p.relative_to(ROOT)) for p in sql_files() if defaulted.search(p.read_text(encoding="utf-8"))]
    assert where == ["models/intermediate/indicator_values/int_indicator_attributes.sql"], where

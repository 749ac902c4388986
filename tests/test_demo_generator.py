"""The SYNTHETIC demo data in examples/provinces-demo/data is exactly what the seeded generator writes."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cipanel.demo.generator import CSV_NAME, DEFAULT_SEED, PLANTED, XLSX_NAME, generate, main

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "provinces-demo" / "data"
CATALOG = ROOT / "examples" / "provinces-demo" / "catalog" / "indicator_catalog.csv"
SPECIAL = {"posts_telecom_1984", "internet_users_national"}


def _csv_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _cells(path: Path) -> dict[str, list[tuple]]:
    book = load_workbook(path)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def _catalog() -> dict[str, dict]:
    with CATALOG.open(encoding="utf-8", newline="") as handle:
        return {row["indicator_code"]: row for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("demo")
    return out, generate(out, DEFAULT_SEED)


def test_default_seed_reproduces_the_committed_files(regenerated):
    out, result = regenerated
    assert result["files"] == [CSV_NAME, XLSX_NAME]
    assert (out / CSV_NAME).read_bytes() == (DEMO / CSV_NAME).read_bytes()
    assert _cells(out / XLSX_NAME) == _cells(DEMO / XLSX_NAME)


def test_result_reports_rows_and_planted_effects(regenerated):
    out, result = regenerated
    assert result["seed"] == DEFAULT_SEED
    assert result["planted"] == PLANTED
    assert result["n_rows"][CSV_NAME] == len(_csv_rows(out / CSV_NAME))
    data_rows = sum(len(rows) - 3 for rows in _cells(out / XLSX_NAME).values())  # title, header, note
    assert result["n_rows"][XLSX_NAME] == data_rows


def test_gaps_are_interior_and_only_in_a_few_unit_series(regenerated):
    out, result = regenerated
    rows = _csv_rows(out / CSV_NAME)
    gaps = [r for r in rows if r["value"] == ""]
    assert len(gaps) == len(result["gaps"]) > 0
    assert {r["indicator_code"] for r in gaps}.isdisjoint(SPECIAL)
    assert all(2014 < int(r["year"]) < 2023 for r in gaps)
    for code in {r["indicator_code"] for r in gaps}:
        share = sum(r["indicator_code"] == code for r in gaps) / sum(r["indicator_code"] == code for r in rows)
        assert 0.01 <= share <= 0.02, code
    for sheet, cells in _cells(out / XLSX_NAME).items():
        assert all(v is not None for row in cells[2:-1] for v in row), sheet


def test_every_catalog_indicator_has_data(regenerated):
    out, _ = regenerated
    catalog = _catalog()
    by_label = {row["label_zh"]: code for code, row in catalog.items()}
    covered = {r["indicator_code"] for r in _csv_rows(out / CSV_NAME) if r["value"] != ""}
    covered |= {by_label[sheet] for sheet in _cells(out / XLSX_NAME)}
    assert covered == set(catalog)
    rows = _csv_rows(out / CSV_NAME)
    assert {r["year"] for r in rows if r["indicator_code"] == "posts_telecom_1984"} == {"1984"}
    national = [r for r in rows if r["indicator_code"] == "internet_users_national"]
    assert {r["unit_code"] for r in national} == {"000000"}
    assert sorted(int(r["year"]) for r in national) == list(range(2013, 2024))


def test_files_say_synthetic(regenerated):
    out, _ = regenerated
    assert all("SYNTHETIC" in p.name.upper() for p in out.iterdir())
    for sheet, cells in _cells(out / XLSX_NAME).items():
        assert "SYNTHETIC" in cells[0][0] and "合成数据" in cells[0][0], sheet
        assert cells[1] == ("地区", *range(2014, 2024)), sheet
        assert cells[-1][0].startswith("注：合成数据"), sheet
    readme = (DEMO / "README.md").read_text(encoding="utf-8")
    assert "SYNTHETIC" in readme and "NOT real" in readme


def test_command_line_other_seed(tmp_path, capsys):
    main(["--out", str(tmp_path), "--seed", "7"])
    assert "SYNTHETIC" in capsys.readouterr().out
    assert (tmp_path / CSV_NAME).read_bytes() != (DEMO / CSV_NAME).read_bytes()

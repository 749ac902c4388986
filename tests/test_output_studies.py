"""Both packaged studies written in Chinese and in English on the demo warehouse, then read back
as a reader's software would: Word page size, orientation, fonts and every cell's text against its
column width at the font's metrics; Excel widths, numbers and print setup; figures' legends and
labels from matplotlib's own layout; Markdown snapshots of every table; byte-identical reruns; an
ad-hoc study that keeps the other studies' output.

Snapshots live in tests/snapshots/<lang>/<study>/<table>.md; after an intended layout change run
`CIPANEL_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/test_output_studies.py` and review the diff."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import numpy as np
import pytest

from cipanel.output.docx_writer import CJK_FONT, FONT_PT, LATIN_FONT, MARGIN_CM, PAGE_CM
from cipanel.output.text_metrics import (
    ASCII_WIDTHS,
    LIBERATION_SERIF,
    is_cjk,
    line_count,
    text_width,
)
from cipanel.output.xlsx_writer import display_width
from cipanel.pipeline import run_studies

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("CIPANEL_UPDATE_SNAPSHOTS") == "1"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EMU_PER_CM = 360000


@pytest.fixture(scope="module", params=["zh", "en"])
def written(request):
    """(lang, out_dir, outputs, [(png path, Figure)]) of the session's run of both studies in that
    language (tests/conftest.py demo_studies_zh / _en); its figures are closed after this module's
    tests of the language (nothing else reads them)."""
    import matplotlib.pyplot as plt

    lang = request.param
    run = request.getfixturevalue(f"demo_studies_{lang}")
    yield lang, run["out"], run["outputs"], run["figures"]
    for _, fig in run["figures"]:
        plt.close(fig)
    run["figures"].clear()


def docx_files(out: Path) -> list[Path]:
    return sorted(out.glob("*/*.docx"))


# ---------------------------------------------------------------- Word


def test_every_study_has_tables_docx_with_the_indicator_system_first(written):
    lang, out, outputs, _ = written
    import docx

    for study, first_index in (("study_a", "res"), ("study_b", "nqp_b")):
        doc = docx.Document(str(out / study / "tables.docx"))
        caption = doc.paragraphs[0].text
        assert ("评价指标体系" in caption) if lang == "zh" else caption.startswith("Indicator system")
        ids = [w["docx"].stem for w in outputs[study]["tables"]]
        assert ids[0] == f"indicators_{first_index}" and ids[-1].startswith("ranks_")
        assert len(doc.tables) == len(ids)  # every table of the study, each also on its own
        for i in ids:
            assert (out / study / f"{i}.docx").is_file()


def test_docx_pages_are_a4_with_thesis_margins_and_landscape_only_when_needed(written):
    import docx

    for path in docx_files(written[1]):
        for section in docx.Document(str(path)).sections:
            w, h = section.page_width / EMU_PER_CM, section.page_height / EMU_PER_CM
            landscape = w > h
            assert (round(w, 2), round(h, 2)) == (PAGE_CM[::-1] if landscape else PAGE_CM), path.name
            assert (section.orientation == 1) == landscape
            assert round(section.left_margin / EMU_PER_CM, 2) == MARGIN_CM["left"]
            assert round(section.top_margin / EMU_PER_CM, 2) == MARGIN_CM["top"]


def _cell_margin_twips(tbl) -> tuple[int, int]:
    mar = tbl.find(f"{W}tblPr/{W}tblCellMar")
    return tuple(int(mar.find(f"{W}{side}").get(f"{W}w")) for side in ("left", "right"))


def test_every_cell_fits_its_column_at_the_fonts_metrics(written):
    """Numbers, stars and parentheses on one line; stub labels in at most two lines; fonts set."""
    import docx

    checked = 0
    for path in docx_files(written[1]):
        doc = docx.Document(str(path))
        for table in doc.tables:
            tbl = table._tbl
            left, right = _cell_margin_twips(tbl)
            total = sum(int(g.get(f"{W}w")) for g in tbl.findall(f"{W}tblGrid/{W}gridCol")) / 20
            assert total <= (29.7 - MARGIN_CM["left"] - MARGIN_CM["right"]) / 2.54 * 72 + 0.5, path.name
            if path.stem != "tables":  # a table on its own: within its page's text width, portrait or landscape
                sec = doc.sections[0]
                assert total <= (sec.page_width - sec.left_margin - sec.right_margin) / 12700 + 0.5, path.name
            head = "".join(t.text or "" for t in tbl.find(f"{W}tr").find(f"{W}tc").iter(f"{W}t"))
            wrap = (0, 1, 3) if head in ("目标层", "Index") else (0,)  # indicator system: text columns
            for r, row in enumerate(tbl.findall(f"{W}tr")):
                is_head = row.find(f"{W}trPr/{W}tblHeader") is not None
                col = 0
                for tc in row.findall(f"{W}tc"):
                    span_el = tc.find(f"{W}tcPr/{W}gridSpan")
                    span = int(span_el.get(f"{W}val")) if span_el is not None else 1
                    width = int(tc.find(f"{W}tcPr/{W}tcW").get(f"{W}w"))
                    text = "".join(t.text or "" for t in tc.iter(f"{W}t"))
                    avail = (width - left - right) / 20
                    lines = line_count(text, avail, FONT_PT) if text else 1
                    # variable names (and, only on the widest tables, column titles) wrap at most once
                    limit = 2 if (col in wrap or is_head) and span == 1 and not re.fullmatch(r"\(\d+\)", text) else 1
                    assert lines <= limit, (
                        f"{path.name} row {r} col {col}: {text!r} takes {lines} lines in {avail:.1f} pt"
                    )
                    if re.search(r"[\d*()]", text) and col not in wrap and not is_head:
                        assert text_width(text, FONT_PT) <= avail, (path.name, text)
                    for rpr in tc.iter(f"{W}rPr"):
                        fonts = rpr.find(f"{W}rFonts")
                        assert fonts.get(f"{W}ascii") == LATIN_FONT and fonts.get(f"{W}eastAsia") == CJK_FONT
                        assert rpr.find(f"{W}sz").get(f"{W}val") == str(int(FONT_PT * 2))
                    checked += 1
                    col += span
    assert checked > 1000


def test_embedded_times_widths_are_the_metric_compatible_fonts():
    path = next((p for p in LIBERATION_SERIF if p.is_file()), None)
    if path is None:
        pytest.skip("Liberation Serif not installed (fonts-liberation); the embedded copy is used")
    from fontTools.ttLib import TTFont

    font = TTFont(str(path))
    cmap, hmtx, upm = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
    for ch, units in ASCII_WIDTHS.items():
        assert hmtx[cmap[ord(ch)]][0] * 2048 / upm == pytest.approx(units, abs=1), ch
    assert is_cjk("变") and is_cjk("（") and not is_cjk("(")


# ---------------------------------------------------------------- Excel


def _shown(cell) -> str:
    """The text Excel displays for a cell under its number format (the formats cipanel writes)."""
    if isinstance(cell.value, str):
        return cell.value
    fmt = cell.number_format.split(";")[0]
    core = fmt.strip("()")
    if "E" in core:
        dec = len(core.split(".")[1].split("E")[0]) if "." in core else 0
        text = f"{cell.value:.{dec}E}"
    else:
        dec = len(core.split(".")[1]) if "." in core else 0
        text = f"{cell.value:.{dec}f}"
    return f"({text})" if fmt.startswith("(") else text


def test_tables_xlsx_has_a_sheet_per_table_fitted_widths_numbers_and_print_setup(written):
    import openpyxl

    lang, out, outputs, _ = written
    for study in ("study_a", "study_b"):
        wb = openpyxl.load_workbook(out / study / "tables.xlsx")
        ids = [w["xlsx"].stem for w in outputs[study]["tables"]]
        assert wb.sheetnames == ids
        for ws in wb.worksheets:
            assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) == 9
            assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
            assert ws.sheet_properties.pageSetUpPr.fitToPage
            area = ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area
            assert area.replace("$", "").replace(f"'{ws.title}'!", "").startswith("A1:")
            for row in ws.iter_rows(min_row=2):
                for cell in row:
                    if cell.value is None or cell.coordinate in ws.merged_cells or cell.font.sz == 9:
                        continue  # notes (9 pt) run on across the empty cells to their right
                    shown = _shown(cell)
                    width = ws.column_dimensions[cell.column_letter].width
                    assert width >= display_width(shown), (study, ws.title, cell.coordinate, shown, width)
        t2 = wb["t2"]
        coef = next(c for c in t2["B"] if isinstance(c.value, float))
        assert coef.number_format.startswith("0.") and t2.cell(coef.row, coef.column + 1).value in (
            "*",
            "**",
            "***",
            None,
        )


# ---------------------------------------------------------------- figures


def _extent(artist, ax, renderer):
    """Display box of a data artist; collections (error bars) report theirs through their data limits."""
    from matplotlib.collections import Collection

    box = artist.get_window_extent(renderer)
    if isinstance(artist, Collection) and not np.isfinite(box.get_points()).all():
        box = artist.get_datalim(ax.transData).transformed(ax.transData)
    assert np.isfinite(box.get_points()).all(), artist
    return box


def _texts(fig) -> list[str]:
    out = [t.get_text() for t in fig.texts]
    for leg in fig.legends:
        out += [t.get_text() for t in leg.get_texts()]
    for ax in fig.axes:
        out += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        out += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
        if ax.get_legend():
            out += [t.get_text() for t in ax.get_legend().get_texts()]
    return [t for t in out if t]


def test_figures_are_300_dpi_png_with_svg_copy_legends_clear_of_data_and_catalog_labels(written, demo_warehouse):
    from PIL import Image

    from cipanel.warehouse import read_table

    lang, out, _, figs = written
    codes = set(read_table("marts.dim_indicators", demo_warehouse).indicator_code)
    codes |= set(read_table("staging.stg_catalog__dimensions", demo_warehouse).dimension_code)
    codes |= set(read_table("marts.dim_unit_regions", demo_warehouse).region_code)
    codes |= set(read_table("marts.dim_units", demo_warehouse).unit_code)
    kinds = {re.sub(r"_[a-z0-9_]*$", "", p.stem.replace("study_a_", "").replace("study_b_", "")) for p, _ in figs}
    assert {"index", "weights", "heatmap", "t5", "t6"} <= kinds  # trends, weights, heat maps, coefficients
    for png, fig in figs:
        assert png.with_suffix(".svg").is_file()
        dpi = Image.open(png).info["dpi"]
        assert round(dpi[0]) == 300, png.name
        renderer = fig.canvas.get_renderer()
        fig.draw(renderer)
        legends = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend()]
        for leg in legends:
            box = leg.get_window_extent(renderer)
            for ax in fig.axes:
                for artist in [*ax.lines, *ax.patches, *ax.collections, *ax.images]:
                    assert not box.overlaps(_extent(artist, ax, renderer)), f"{png.name}: legend covers {artist}"
                assert not box.overlaps(ax.get_window_extent(renderer)), f"{png.name}: legend inside the axes"
        if png.stem == "study_b_t6_coefficients":  # column (4) rests on 3 clusters: marked, with a footnote
            ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
            assert ticks[-1].endswith(" †") and not ticks[0].endswith("†")
            assert any(t.get_text().startswith("†") for t in fig.axes[0].texts)
        for text in _texts(fig):
            assert text not in codes, f"{png.name}: raw code {text!r}"
            if lang == "en" and "SYNTHETIC" not in text:
                assert not any(is_cjk(ch) for ch in text), f"{png.name}: Chinese text {text!r} with --lang en"


# ---------------------------------------------------------------- snapshots, notes of the real tables


def test_markdown_of_every_table_matches_its_snapshot(written):
    lang, out, outputs, _ = written
    mismatched = []
    for study in ("study_a", "study_b"):
        for paths in outputs[study]["tables"]:
            md = paths["md"]
            if md.stem.startswith(("scores_", "ranks_")):
                continue  # wide appendices of the synthetic panel: covered by shape tests
            snap = SNAPSHOTS / lang / study / md.name
            text = md.read_text(encoding="utf-8")
            if UPDATE or not snap.exists():
                snap.parent.mkdir(parents=True, exist_ok=True)
                snap.write_text(text, encoding="utf-8")
                if not UPDATE:
                    mismatched.append(f"{snap} was missing: written, review and commit it")
            elif snap.read_text(encoding="utf-8") != text:
                mismatched.append(str(snap))
    assert not mismatched, "tables differ from their snapshots (CIPANEL_UPDATE_SNAPSHOTS=1 to accept): " + ", ".join(
        mismatched
    )


def test_the_real_tables_notes_of_issue_14(written):
    lang, out, outputs, _ = written
    if lang != "zh":
        pytest.skip("the Chinese wording is checked once")
    a, b = out / "study_a", out / "study_b"
    t6 = (b / "t6.md").read_text(encoding="utf-8")
    assert "警告：列(4)仅有 3 个聚类" in t6 and "聚类数 (1) 10，(2) 6，(3) 11，(4) 3。" in t6
    t3 = (a / "t3.md").read_text(encoding="utf-8")
    assert "Stock-Yogo 10% 临界值 | 16.38" in t3 and "e-0" not in t3
    assert "| 野聚类自助法 P 值(WCR) |  | <0.001 |" in t3
    assert "| 年份固定效应 | 是 |" in (b / "t3.md").read_text(encoding="utf-8")  # GMM with year dummies
    system = (a / "indicators_dt.md").read_text(encoding="utf-8")
    assert "| 合计 |  | 1.0000 |" in system and "熵值法" in system and "SYNTHETIC" in system
    scores = (a / "scores_res.md").read_text(encoding="utf-8").splitlines()
    assert (
        scores[2].split(" | ")[-2:] == ["均值", "排名 |"] and len([x for x in scores if x.startswith("| ")]) == 1 + 30
    )


def test_same_inputs_give_byte_identical_docx_xlsx_png_and_svg(written, demo_warehouse, tmp_path):
    from cipanel.output.regression_tables import write_study_tables

    lang, out, outputs, _ = written
    tables = outputs["study_a"]["run"].tables[:3]

    def digest(folder: Path) -> dict[str, str]:
        write_study_tables(tables, folder, lang)
        return {
            p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir())
            if p.suffix in (".docx", ".xlsx")
        }

    first, second = digest(tmp_path / "one"), digest(tmp_path / "two")
    assert first == second and "tables.docx" in first and "tables.xlsx" in first
    from cipanel.output.figures import plot_indicator_weights
    from cipanel.warehouse import read_table

    weights = read_table(
        "marts.fct_indicator_weights", demo_warehouse, where="method = 'entropy' and index_code = 'dt'"
    )
    one = plot_indicator_weights(weights, tmp_path / "f1", synthetic=True, lang=lang)[0]
    two = plot_indicator_weights(weights, tmp_path / "f2", synthetic=True, lang=lang)[0]
    for suffix in (".png", ".svg"):
        assert one.with_suffix(suffix).read_bytes() == two.with_suffix(suffix).read_bytes()


def test_an_ad_hoc_study_writes_its_own_report_and_keeps_the_others(written, demo_warehouse, tmp_path):
    import shutil

    lang, shared, _, _ = written
    if lang != "zh":
        pytest.skip("once is enough")
    out = shutil.copytree(shared, tmp_path / "out")  # the session's output folder stays as written
    before = {p: p.read_bytes() for p in (out / "study_a").rglob("*") if p.is_file()}
    spec = tmp_path / "my.yml"
    spec.write_text(
        "study: my_study\npanel: {years: [2015, 2023]}\n"
        "tables:\n  - {id: d1, kind: descriptive, variables: [res, dt]}\n",
        encoding="utf-8",
    )
    run_studies([spec], warehouse=demo_warehouse, out_dir=out, lang="zh", progress=lambda m: None)
    assert {p: p.read_bytes() for p in (out / "study_a").rglob("*") if p.is_file()} == before
    own = (out / "my_study" / "report.md").read_text(encoding="utf-8")
    assert "****" not in own and own.startswith("# my_study")
    combined = (out / "report.md").read_text(encoding="utf-8")
    assert combined.index("study_a/") < combined.index("my_study/")  # every study, packaged ones first
    assert "study_b/" in combined

"""tables.docx assembled from each table's own Word file (docx_writer.collection_from_parts, what
a run does when most tables are unchanged) has exactly the bytes of the collection drawn table by
table with python-docx (to_docx_collection): portrait and landscape tables in every order, spanning
header cells, notes, a table without a title."""

from __future__ import annotations

import itertools
import zipfile

import pytest

from cipanel.output.docx_writer import collection_from_parts, layout, to_docx, to_docx_collection
from cipanel.output.regression_tables import Grid


def narrow(k: int) -> Grid:
    return Grid(
        f"n{k}",
        f"表{k} 窄表",
        [[("变量", 1), ("(1)", 1), ("(2)", 1)]],
        [["数字贸易开放", "0.640***", "0.5"], ["", "(2.31)", "(1.10)"]],
        notes=["括号内为 t 值。", "SYNTHETIC 数据。"],
    )


def wide(k: int) -> Grid:
    cols = 14
    return Grid(
        f"w{k}",
        "" if k % 2 else f"Table {k} wide",
        [
            [("", 1), ("组 A", cols // 2), ("组 B", cols - cols // 2)],
            [("变量", 1), *[(f"({j})", 1) for j in range(cols)]],
        ],
        [["Digital trade openness index", *["-12.3456***"] * cols]],
        notes=["a note"],
    )


ORDERS = ["n", "w", "nn", "nw", "wn", "ww", "nwn", "wnw", "nnwwn", "wnnw"]


@pytest.mark.parametrize("order", ORDERS)
def test_assembled_collection_equals_the_drawn_one(tmp_path, order):
    grids = [narrow(k) if c == "n" else wide(k) for k, c in enumerate(order)]
    assert {layout(g).landscape for g in grids} == {c == "w" for c in order}  # the orders mean what they say
    parts = []
    for g in grids:
        parts.append(to_docx(g, tmp_path / f"{g.table_id}.docx"))
    drawn = to_docx_collection(grids, tmp_path / "drawn.docx")
    built = collection_from_parts(parts, [layout(g).landscape for g in grids], tmp_path / "built.docx")
    assert built.read_bytes() == drawn.read_bytes()


def test_a_file_not_written_by_to_docx_is_refused(tmp_path):
    part = to_docx(narrow(1), tmp_path / "n1.docx")
    with zipfile.ZipFile(part) as src:
        entries = [(i.filename, src.read(i.filename)) for i in src.infolist()]
    other = tmp_path / "other.docx"
    with zipfile.ZipFile(other, "w") as dst:
        for name, data in entries:
            dst.writestr(name, data + b"<!-- edited -->" if name == "word/styles.xml" else data)
    with pytest.raises(ValueError, match="another template"):
        collection_from_parts([part, other], [False, False], tmp_path / "c.docx")
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(broken, "w") as dst:
        for name, data in entries:
            dst.writestr(name, b"<w:document/>" if name == "word/document.xml" else data)
    with pytest.raises(ValueError, match="not a table document"):
        collection_from_parts([broken], [False], tmp_path / "c.docx")


def test_orders_cover_every_transition():
    pairs = {a + b for order in ORDERS for a, b in itertools.pairwise(order)}
    assert pairs == {"nn", "nw", "wn", "ww"}

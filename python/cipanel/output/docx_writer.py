"""Word tables as a Chinese thesis prints them: A4, thesis margins, 宋体 for Chinese and Times New
Roman for digits and Latin at 五号 (10.5 pt), three-line tables with notes below the bottom rule.

Column widths come from the text (cipanel.output.text_metrics): no number, star or parenthesis
wraps, and a variable name wraps at most once. A table too wide for a portrait page gets a
landscape section of its own. python-docx does the writing; the widths, borders, cell margins and
fonts it has no API for are set on the XML."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cipanel.output.deterministic import FIXED_DATE, normalize_office_zip
from cipanel.output.text_metrics import text_width, width_for_lines

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

if TYPE_CHECKING:
    from cipanel.output.regression_tables import Grid

PAGE_CM = (21.0, 29.7)  # A4 portrait (width, height)
MARGIN_CM = {"top": 2.5, "bottom": 2.5, "left": 3.0, "right": 2.5}  # common thesis rule (binding left)
FONT_PT, NOTE_PT = 10.5, 9.0  # 五号 body, 小五 notes
LATIN_FONT, CJK_FONT = "Times New Roman", "宋体"
CELL_PAD_PT = 4.25  # left and right cell margin (0.15 cm)
SLACK_PT = 2.0  # rounding in Word's own layout
PT_PER_CM = 72 / 2.54


def text_area_pt(landscape: bool) -> float:
    width = PAGE_CM[1] if landscape else PAGE_CM[0]
    return (width - MARGIN_CM["left"] - MARGIN_CM["right"]) * PT_PER_CM


@dataclass
class Layout:
    widths: list[float]  # points per grid column, cell margins included
    landscape: bool
    stub_lines: int  # 1 or 2: lines the widest variable name takes


def _starts(row) -> list[int]:
    return [sum(span for _, span in row[:k]) for k in range(len(row))]


def layout(g: Grid) -> Layout:
    """Widths from the content: numbers and short cells as wide as their widest text; the text
    columns of g.wrap_cols (the variable names) on one line when the page allows, else wide
    enough for two lines; landscape when portrait cannot hold that."""
    pad = 2 * CELL_PAD_PT + SLACK_PT
    n = g.n_cols
    texts: list[list[str]] = [[] for _ in range(n)]
    for row in g.body:
        for j, text in enumerate(row):
            texts[j].append(text)
    for row in g.header:
        for (text, span), start in zip(row, _starts(row), strict=True):
            if span == 1:
                texts[start].append(text)
    wrap = [j for j in g.wrap_cols if j < n]
    body_w = [max([text_width(r[j], FONT_PT) for r in g.body] or [0.0]) + pad for j in range(n)]
    one = [max([text_width(t, FONT_PT) for t in texts[j]] or [0.0]) + pad for j in range(n)]
    two = [
        max([width_for_lines(t, 2, FONT_PT) for t in texts[j]] or [0.0]) + pad if j in wrap else one[j]
        for j in range(n)
    ]
    # last resort before a page too narrow: column titles (text, never numbers) on two lines too
    titles = [0.0] * n
    for row in g.header:
        for (text, span), start in zip(row, _starts(row), strict=True):
            if span == 1 and start > 0:
                titles[start] = max(titles[start], width_for_lines(text, 2, FONT_PT) + pad)
    three = [two[j] if j in wrap else max(body_w[j], titles[j]) for j in range(n)]

    def spanned(widths: list[float]) -> list[float]:
        widths = list(widths)
        for row in g.header:  # a spanning label wider than its columns widens them evenly
            for (text, span), start in zip(row, _starts(row), strict=True):
                if span > 1:
                    short = text_width(text, FONT_PT) + pad - sum(widths[start : start + span])
                    if short > 0:
                        for j in range(start, start + span):
                            widths[j] += short / span
        return widths

    wide, narrow, narrowest = spanned(one), spanned(two), spanned(three)
    for landscape in (False, True):
        avail = text_area_pt(landscape)
        if sum(wide) <= avail:
            return Layout(wide, landscape, 1)
        for lower in (narrow, narrowest):
            if sum(lower) <= avail:  # share the room left among the columns that wrap
                room = avail - sum(lower)
                gain = [wide[j] - lower[j] for j in range(n)]
                total = sum(gain) or 1.0
                return Layout([lower[j] + room * gain[j] / total for j in range(n)], landscape, 2)
    return Layout(narrowest, True, 2)  # wider than a landscape page: the narrowest it can be


# ---------------------------------------------------------------- XML helpers


def _set_fonts(rpr_parent, size: float | None = None, bold: bool | None = None) -> None:
    """rFonts on a run or style: Latin/digits in Times New Roman, East Asian text in 宋体."""
    from docx.oxml.ns import qn

    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr, value in (("ascii", LATIN_FONT), ("hAnsi", LATIN_FONT), ("cs", LATIN_FONT), ("eastAsia", CJK_FONT)):
        fonts.set(qn(f"w:{attr}"), value)


def _run(par, text: str, size: float, bold: bool = False):
    from docx.shared import Pt

    run = par.add_run(text)
    run.font.size, run.font.bold = Pt(size), bold
    run.font.name = LATIN_FONT
    _set_fonts(run._element)
    return run


def _borders(cell, top: int | None, bottom: int | None) -> None:
    """Cell rules in eighths of a point; three-line = thick top, thin under header, thick end."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:tcBorders")
    for edge, sz in (("top", top), ("bottom", bottom)):
        if sz:
            el = OxmlElement(f"w:{edge}")
            for k, v in (("val", "single"), ("sz", str(sz)), ("space", "0"), ("color", "000000")):
                el.set(qn(f"w:{k}"), v)
            borders.append(el)
    if len(borders):
        cell._tc.get_or_add_tcPr().append(borders)


def _table_props(table, total_twips: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:w"), str(total_twips))
    width.set(qn("w:type"), "dxa")
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(round(CELL_PAD_PT * 20)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tbl_pr.append(margins)


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


# ---------------------------------------------------------------- document


def _section(section, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    w, h = PAGE_CM if not landscape else PAGE_CM[::-1]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(w), Cm(h)
    section.top_margin, section.bottom_margin = Cm(MARGIN_CM["top"]), Cm(MARGIN_CM["bottom"])
    section.left_margin, section.right_margin = Cm(MARGIN_CM["left"]), Cm(MARGIN_CM["right"])


def new_document() -> DocxDocument:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = LATIN_FONT, Pt(FONT_PT)
    _set_fonts(normal.element)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    props = doc.core_properties  # fixed, so the same inputs give the same bytes
    props.author = props.last_modified_by = "cipanel"
    props.created = props.modified = props.last_printed = FIXED_DATE
    props.revision = 1
    props.title = props.subject = props.comments = props.keywords = props.category = ""
    _section(doc.sections[0], False)
    return doc


def add_grid(doc: DocxDocument, g: Grid, first: bool = True) -> Layout:
    """Append one table (caption, three-line table, notes) to doc, in a landscape section of its
    own when it is too wide for portrait."""
    from docx.enum.section import WD_SECTION
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, Twips

    lay = layout(g)
    current = doc.sections[-1]
    if first:
        _section(current, lay.landscape)
    elif lay.landscape or current.page_width > current.page_height:
        _section(doc.add_section(WD_SECTION.NEW_PAGE), lay.landscape)
    else:
        doc.add_paragraph().paragraph_format.space_after = Pt(FONT_PT)  # a blank line between tables
    if g.title:
        cap = doc.add_paragraph()
        cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
        cap.paragraph_format.space_after = Pt(3)
        cap.paragraph_format.keep_with_next = True
        _run(cap, g.title, FONT_PT, bold=True)
    nh = len(g.header)
    table = doc.add_table(rows=nh + len(g.body), cols=g.n_cols)  # no style: no grid lines
    table.autofit = False  # fixed layout: Word keeps the widths set here
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    twips = [round(w * 20) for w in lay.widths]
    _table_props(table, sum(twips))
    for col, tw in zip(table.columns, twips, strict=True):
        col.width = Twips(tw)
    texts: list[list[tuple[str, int]]] = [list(r) for r in g.header] + [[(t, 1) for t in r] for r in g.body]
    partial = _span_rules(g)
    last = len(texts) - 1
    for i, (docx_row, row) in enumerate(zip(table.rows, texts, strict=True)):
        if i < nh:
            _repeat_header(docx_row)
        cells = docx_row.cells  # once per row: table.cell(i, j) rescans the grid (O(n^2))
        col = 0
        for text, span in row:
            cell = cells[col]
            if span > 1:
                cell = cell.merge(cells[col + span - 1])
            cell.width = Twips(sum(twips[col : col + span]))
            par = cell.paragraphs[0]
            par.alignment = WD_ALIGN_PARAGRAPH.LEFT if col == 0 else WD_ALIGN_PARAGRAPH.CENTER
            if text:
                _run(par, text, FONT_PT)
            thin = i == nh - 1 or (i < nh and col in partial[i])
            _borders(cell, 12 if i == 0 else None, 4 if thin else 12 if i == last else None)
            col += span
    indent = max(0.0, (text_area_pt(lay.landscape) - sum(lay.widths)) / 2)  # notes as wide as the table
    for k, note in enumerate(g.notes):  # below the bottom rule, 小五
        par = doc.add_paragraph()
        par.paragraph_format.space_before = Pt(3 if k == 0 else 0)
        par.paragraph_format.left_indent = par.paragraph_format.right_indent = Pt(round(indent, 1))
        _run(par, (g.note_prefix if k == 0 else "") + note, NOTE_PT)
    return lay


def _span_rules(g: Grid) -> list[set[int]]:
    from cipanel.output.regression_tables import _span_rules as rules

    return rules(g)


def to_docx(g: Grid, path: Path) -> Path:
    doc = new_document()
    add_grid(doc, g)
    doc.save(str(path))
    normalize_office_zip(path)
    return Path(path)


def to_docx_collection(grids: list[Grid], path: Path) -> Path:
    """Every table of a study in one document, in order."""
    doc = new_document()
    for i, g in enumerate(grids):
        add_grid(doc, g, first=i == 0)
    doc.save(str(path))
    normalize_office_zip(path)
    return Path(path)


# ---------------------------------------------------------------- collection from the tables' own files

_BODY = re.compile(
    rb"^(?P<head>.*?<w:body>)(?P<content>.*)(?P<sect><w:sectPr\b[^>]*>(?P<inner>.*?)</w:sectPr>)</w:body></w:document>$",
    re.S,
)
_BLANK_LINE = b'<w:p><w:pPr><w:spacing w:after="%d"/></w:pPr></w:p>' % round(FONT_PT * 20)  # as add_grid adds it


def collection_from_parts(parts: list[Path], landscape: list[bool], path: Path) -> Path:
    """tables.docx assembled from each table's own .docx (to_docx) instead of drawing every table
    again with python-docx: the document is the tables' bodies in order, with the blank line or
    the section break add_grid puts between them, so the bytes equal to_docx_collection's (tested).
    Every other part of the files is the same template (new_document); ValueError when a file is
    not what to_docx writes (the caller then draws the collection)."""
    import zipfile

    from cipanel.output.deterministic import write_office_zip

    entries: list[tuple[str, bytes]] | None = None
    bodies = []
    for part in parts:
        with zipfile.ZipFile(part) as src:
            named = [(info.filename, src.read(info.filename)) for info in src.infolist()]
        found = _BODY.match(dict(named).get("word/document.xml", b""))
        if found is None:
            raise ValueError(f"{part}: not a table document written by to_docx")
        others = [(n, d) for n, d in named if n != "word/document.xml"]
        if entries is None:
            entries, head = named, found["head"]
        elif others != [(n, d) for n, d in entries if n != "word/document.xml"] or found["head"] != head:
            raise ValueError(f"{part}: made from another template than {parts[0]}")
        bodies.append(found)
    if not bodies:
        raise ValueError("no tables")
    out = [head]
    for i, found in enumerate(bodies):
        if i and (landscape[i] or landscape[i - 1]):  # add_section: the previous section ends here
            out.append(b"<w:p><w:pPr><w:sectPr>" + bodies[i - 1]["inner"] + b"</w:sectPr></w:pPr></w:p>")
        elif i:
            out.append(_BLANK_LINE)
        out.append(found["content"])
    out.append(bodies[-1]["sect"] + b"</w:body></w:document>")
    document = b"".join(out)
    write_office_zip(path, [(n, document if n == "word/document.xml" else d) for n, d in entries])
    return Path(path)

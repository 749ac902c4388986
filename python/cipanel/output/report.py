"""Study report as Markdown and a self-contained HTML page (inline CSS, images linked relatively).

The HTML is the Markdown converted by the `markdown` package, so both say the same thing; tables
are the pipe tables written by write_table (header levels stacked with <br>), and the CSS draws
them as three-line tables.

The conversion is done block by block (a heading, a table, a figure and what follows it up to the
next one; see markdown_blocks) and joined, which gives the same HTML as converting the whole text
at once (tests/test_report_blocks.py) but lets a run reuse the HTML of every unchanged block from
the study cache: after editing one table only that table's block is converted again."""

from __future__ import annotations

import html
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cipanel.output.labels import check_lang, fixed
from cipanel.output.regression_tables import write_table

if TYPE_CHECKING:
    from cipanel.study_cache import StudyCache
from cipanel.study.tables import DescriptiveTable, RegressionTable

BANNER = "SYNTHETIC DATA / 合成数据"

CSS = """
body { font-family: "Times New Roman", "Songti SC", SimSun, serif; max-width: 60em;
       margin: 2em auto; padding: 0 1em; line-height: 1.5; color: #111; }
.synthetic-banner { background: #b00020; color: #fff; padding: .8em 1em; font-size: 1.15em;
                    border-radius: 4px; margin-bottom: 1.5em; }
table { border-collapse: collapse; margin: .8em auto; border-top: 2px solid #000;
        border-bottom: 2px solid #000; }
thead th { border-bottom: 1px solid #000; font-weight: normal; vertical-align: bottom; }
th, td { padding: .15em .9em; text-align: center; border: none; }
th:first-child, td:first-child { text-align: left; }
img { max-width: 100%; display: block; margin: 1em auto; }
"""


@dataclass
class ReportSection:
    title: str
    tables: list[RegressionTable | DescriptiveTable | Path] = field(default_factory=list)
    figures: list[Path] = field(default_factory=list)
    text: str = ""  # Markdown


def _rel(path: Path, out_dir: Path, sub: str) -> str:
    """Relative link from the report; files outside out_dir are copied into out_dir/sub first."""
    path, out_dir = Path(path).resolve(), out_dir.resolve()
    if not path.is_relative_to(out_dir):
        (out_dir / sub).mkdir(parents=True, exist_ok=True)
        path = Path(shutil.copy2(path, out_dir / sub / path.name))
    return Path(os.path.relpath(path, out_dir)).as_posix()


def _table_md(table: RegressionTable | DescriptiveTable | Path, out_dir: Path, lang: str) -> str:
    if isinstance(table, (RegressionTable, DescriptiveTable)):
        files = write_table(table, out_dir / "tables", lang)
    else:  # a table written earlier: embed its .md, link its other formats
        md = Path(table).with_suffix(".md")
        if not md.exists():
            return f"[{Path(table).name}]({_rel(Path(table), out_dir, 'tables')})\n"
        files = {p.suffix[1:]: p for p in md.parent.glob(md.stem + ".*")}
    links = " · ".join(f"[{ext}]({_rel(p, out_dir, 'tables')})" for ext, p in sorted(files.items()) if ext != "md")
    body = files["md"].read_text(encoding="utf-8")
    return body + (f"\n{fixed('downloads', lang)}{links}\n" if links else "")


def write_report(
    sections: list[ReportSection],
    out_dir: Path,
    title: str,
    synthetic: bool,
    lang: str = "zh",
    cache: StudyCache | None = None,
) -> dict[str, Path]:
    """Write report.md and report.html into out_dir (tables under out_dir/tables)."""
    check_lang(lang)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    parts = [f"# {title or 'cipanel'}", ""]
    if synthetic:
        parts += [
            f'<div class="synthetic-banner"><strong>{BANNER}</strong> — '
            f"{html.escape(fixed('synthetic_banner', lang))}</div>",
            "",
        ]
    for sec in sections:
        if sec.title.strip():
            parts += [f"## {sec.title}", ""]
        if sec.text:
            parts += [sec.text.strip(), ""]
        for table in sec.tables:
            parts += [_table_md(table, out_dir, lang), ""]
        for fig in sec.figures:
            parts += [f"![{Path(fig).stem}]({_rel(Path(fig), out_dir, 'figures')})", ""]
    return _write_pages("\n".join(parts), out_dir, title, lang, cache)


_LINK = re.compile(r"(\]\()(?!https?:|/|#)([^)\s]+)(\))")


def _study_body(md: str, folder: str) -> str:
    """A study's report.md without its page title and banner, links made relative to the parent."""
    lines = md.splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    body = "\n".join(line for line in lines if 'class="synthetic-banner"' not in line)
    return _LINK.sub(lambda m: f"{m.group(1)}{folder}/{m.group(2)}{m.group(3)}", body).strip()


def write_combined_report(
    out_dir: Path,
    title: str,
    synthetic: bool,
    lang: str = "zh",
    order: list[str] | None = None,
    cache: StudyCache | None = None,
) -> dict[str, Path]:
    """out_dir/report.{md,html}: every study report found under out_dir/<study>/report.md, so a
    run of one study adds or refreshes its own part and never drops another study's. Studies in
    `order` come first, the others alphabetically."""
    check_lang(lang)
    out_dir = Path(out_dir)
    found = {p.parent.name: p for p in sorted(out_dir.glob("*/report.md"))}
    names = [n for n in (order or []) if n in found] + [n for n in sorted(found) if n not in (order or [])]
    parts = [f"# {title}", ""]
    if synthetic:
        parts += [
            f'<div class="synthetic-banner"><strong>{BANNER}</strong> — '
            f"{html.escape(fixed('synthetic_banner', lang))}</div>",
            "",
        ]
    for name in names:
        parts += [_study_body(found[name].read_text(encoding="utf-8"), name), ""]
    return _write_pages("\n".join(parts), out_dir, title, lang, cache)


def _write_pages(
    md_text: str, out_dir: Path, title: str, lang: str, cache: StudyCache | None = None
) -> dict[str, Path]:
    """report.md and report.html; with a cipanel.study_cache.StudyCache the pair is rewritten only
    when the Markdown changed or either file is missing or differs (the HTML conversion of a large
    report is the slow part of reassembling it)."""
    if cache is None:
        return _convert_and_write(md_text, out_dir, title, lang)
    from cipanel.study_cache import key_of

    def make():
        paths = _convert_and_write(md_text, out_dir, title, lang, cache)
        return [paths["md"], paths["html"]], None

    where = Path(os.path.relpath(Path(out_dir).resolve(), cache.out_dir.resolve())).as_posix()
    (md, page), _ = cache.output(f"page:{where}", key_of("page", md_text, title, lang), make)
    return {"md": md, "html": page}


# A block may start where a blank line is followed, at the margin, by a heading, an image or a bold
# (table) caption: nothing before such a line can continue into it (a list, a quote, a paragraph
# or a table ends at the blank line; an indented code block and raw HTML are excluded below).
_BLOCK_START = re.compile(r"\n\n+(?=#{1,6} |!\[|\*\*)")
# Markdown whose meaning reaches across blocks: reference-style link definitions (used anywhere in
# the document), raw HTML blocks (a tag at the margin may run past blank lines), comments and
# processing instructions. The report's own banner is a complete one-line element.
_DOCUMENT_WIDE = re.compile(r"^\s*\[[^\]\n]+\]:|^<(?!div class=\"synthetic-banner\">.*</div>$)|<!|<\?", re.M)
# the text ends in an indented (code) line, whose trailing blank lines the code block keeps, or in a
# raw HTML line, after which the whole-text conversion leaves a blank line
_OPEN_END = re.compile(r"(?:^|\n)(?: {4}|\t|<)[^\n]*\n*$")
_CONVERTER = None


def markdown_blocks(md_text: str) -> list[str] | None:
    """md_text cut into blocks that python-markdown converts the same alone as in the whole text,
    or None when the text uses something whose meaning crosses blocks (then it is converted whole)."""
    if _DOCUMENT_WIDE.search(md_text):
        return None
    blocks: list[str] = []
    start = 0
    for cut in _BLOCK_START.finditer(md_text):
        if not _OPEN_END.search(md_text[start : cut.start()]):  # else: keep it with the next block
            blocks.append(md_text[start : cut.start()])
            start = cut.end()
    blocks.append(md_text[start:])
    return [b for b in blocks if b.strip()]


def markdown_html(md_text: str) -> str:
    """md_text as HTML, exactly as markdown.markdown(md_text, extensions=["tables"]) gives it."""
    global _CONVERTER
    import markdown  # only when a block is converted (a run reusing every block never imports it)

    if _CONVERTER is None:
        _CONVERTER = markdown.Markdown(extensions=["tables"])
    return _CONVERTER.reset().convert(md_text)


def report_html(md_text: str, cache: StudyCache | None = None) -> str:
    """The report's HTML body: block by block, each block's HTML from `cache` when converted before."""
    blocks = markdown_blocks(md_text)
    if blocks is None:
        return markdown_html(md_text)
    convert = markdown_html if cache is None else lambda block: cache.html(block, markdown_html)
    return "\n".join(html for html in map(convert, blocks) if html)


def _convert_and_write(
    md_text: str, out_dir: Path, title: str, lang: str, cache: StudyCache | None = None
) -> dict[str, Path]:
    body = report_html(md_text, cache)
    page = (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n'
        f'<meta charset="utf-8">\n<title>{html.escape(title)}</title>\n'
        f"<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
    paths = {"md": out_dir / "report.md", "html": out_dir / "report.html"}
    paths["md"].write_text(md_text, encoding="utf-8")
    paths["html"].write_text(page, encoding="utf-8")
    return paths

"""The report's HTML is converted block by block (cipanel.output.report.report_html) so unchanged
blocks are reused from the study cache; joined, the blocks must give exactly the HTML of converting
the whole text with python-markdown. Checked on random compositions of the Markdown a report holds
(headings, captions, pipe tables, notes, figures, a spec's free text with lists, quotes, code,
emphasis); text whose meaning crosses blocks (reference links, raw HTML) is converted whole. The
demo's own reports are compared in tests/test_study_cache.py."""

from __future__ import annotations

import random

import markdown
import pytest

from cipanel.output.report import markdown_blocks, report_html
from cipanel.study_cache import StudyCache

PIECES = [
    "## 研究 A",
    "# Title",
    "**表2 基准回归结果**\n\n| 变量 | (1)<br>y |\n|:---|:---:|\n| x | 0.5\\*\\*\\* |\n|  | (2.1) |\n\n注：括号内为 t 值。\n\n下载：[csv](t2.csv)\n",
    "**Table 3**\n\n| a | b |\n|---|---|\n| 1 | 2 |",
    "![heatmap](figures/heatmap.png)",
    "Plain text with *emphasis* and `code` and a [link](x.md).",
    "- one\n- two",
    "- loose one\n\n- loose two",
    "1. first\n2. second",
    "- item\n\n    continued paragraph of the item",
    "> quoted\n> text",
    "    indented code\n    more code",
    "***",
    "***bold italic*** start",
    "text ending with two spaces  \nnext line",
    "| not | a table",
    "下载：[tables.docx](tables.docx) · [tables.xlsx](tables.xlsx)",
    'a line with inline <span class="x">html</span> inside',
    "Setext heading\n--------------",
    "* star item\n* another",
]


def whole(text: str) -> str:
    return markdown.markdown(text, extensions=["tables"])


@pytest.mark.parametrize("seed", range(300))
def test_block_by_block_equals_the_whole_conversion(seed):
    rng = random.Random(seed)
    parts = [rng.choice(PIECES) for _ in range(rng.randint(1, 9))]
    text = "".join(p + rng.choice(["\n\n", "\n\n\n", "\n\n\n\n"]) for p in parts)
    assert report_html(text) == whole(text), text


def test_the_report_page_head_with_its_banner():
    text = (
        "# cipanel\n\n"
        '<div class="synthetic-banner"><strong>SYNTHETIC DATA / 合成数据</strong> — x</div>\n\n'
        "## A\n\ntext\n\n**表1**\n\n| a |\n|---|\n| 1 |\n"
    )
    assert markdown_blocks(text) is not None
    assert report_html(text) == whole(text)


@pytest.mark.parametrize(
    "text",
    [
        "see [the data][d]\n\n## B\n\n[d]: https://example.org/data",  # a reference defined in another block
        "<div>\n\nopen block\n\n## inside\n\n</div>",  # raw HTML spanning blank lines
        "<!-- a comment\n\n## still inside\n\n-->",
    ],
)
def test_text_whose_meaning_crosses_blocks_is_converted_whole(text):
    assert markdown_blocks(text) is None
    assert report_html(text) == whole(text)


def test_the_cache_converts_only_new_blocks(tmp_path):
    cache = StudyCache(tmp_path)
    calls = []

    def convert(block):
        calls.append(block)
        return whole(block)

    first = "## A\n\ntext\n\n**表1**\n\n| a |\n|---|\n| 1 |\n\n**表2**\n\n| b |\n|---|\n| 2 |\n"
    html = "\n".join(cache.html(b, convert) for b in markdown_blocks(first))
    assert html == whole(first) and len(calls) == 3
    cache.record_run(None, None, [], [], "")  # saves html.json (signed)
    again = StudyCache(tmp_path)
    calls.clear()
    edited = first.replace("| 2 |", "| 3 |")
    html = "\n".join(again.html(b, convert) for b in markdown_blocks(edited))
    assert html == whole(edited)
    assert calls == ["**表2**\n\n| b |\n|---|\n| 3 |\n"]  # only the edited table's block


def test_an_html_cache_not_signed_by_this_user_is_ignored(tmp_path):
    cache = StudyCache(tmp_path)
    cache.html("## A", whole)
    cache.record_run(None, None, [], [], "")
    path = tmp_path / ".cipanel-cache" / "html.json"
    blob = path.read_bytes()
    path.write_bytes(blob[:32] + blob[32:].replace(b"<h2>A</h2>", b"<h2>X</h2>"))  # edited, signature kept
    assert StudyCache(tmp_path).html("## A", whole) == "<h2>A</h2>"

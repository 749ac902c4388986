"""Study code returns numbers; text, stars and language choices live in the output layer, so the
dependency goes one way: cipanel.output may import cipanel.study's table classes, never back.
Study code holds no Chinese text and never branches on a language: it returns facts (Note,
UnitSample, a column's role) and cipanel.output words them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

STUDY = Path(__file__).resolve().parents[1] / "python" / "cipanel" / "study"


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module if node.level == 0 else "." * node.level + node.module))
    return found


def test_study_never_imports_output():
    files = sorted(STUDY.glob("*.py"))
    assert len(files) > 10  # the scan sees the package
    offending = [
        f"{path.name}:{line} imports {name}"
        for path in files
        for line, name in _imports(path)
        if name == "cipanel.output" or name.startswith("cipanel.output.") or name.startswith("..output")
    ]
    assert not offending, offending


def test_the_scan_sees_function_level_imports(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from cipanel.output.table_format import fmt_p\n", encoding="utf-8")
    assert (2, "cipanel.output.table_format") in _imports(probe)


CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")  # CJK, full-width punctuation
LANG_CODES = {"zh", "en"}


def _is_lang(node: ast.AST) -> bool:
    """`lang`, `run.lang`, `self.lang` ... or a language code literal."""
    if isinstance(node, ast.Name):
        return node.id == "lang" or node.id.endswith("_lang")
    if isinstance(node, ast.Attribute):
        return node.attr == "lang" or node.attr.endswith("_lang")
    return isinstance(node, ast.Constant) and node.value in LANG_CODES


def _language_choices(source: str) -> list[tuple[int, str]]:
    """String literals holding CJK text, and comparisons or matches on a language."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value):
            found.append((node.lineno, f"Chinese text {node.value[:30]!r}"))
        elif isinstance(node, ast.Compare) and any(map(_is_lang, [node.left, *node.comparators])):
            found.append((node.lineno, "compares a language"))
        elif isinstance(node, ast.Match) and _is_lang(node.subject):
            found.append((node.lineno, "matches on a language"))
    return found


def test_study_code_holds_no_language_text_or_choice():
    files = sorted(STUDY.glob("*.py"))
    assert len(files) > 10
    offending = [
        f"{path.name}:{line} {what}" for path in files for line, what in _language_choices(path.read_text("utf-8"))
    ]
    assert not offending, offending


@pytest.mark.parametrize(
    "source",
    [
        'title = "第一阶段"',
        'note = f"警告: 列{name}"',
        'sep = "；"',
        'zh = lang == "zh"',
        'x = a if run.lang != "en" else b',
        'if "zh" in (spec_lang,):\n    pass',
        "match lang:\n    case _:\n        pass",
    ],
)
def test_the_language_scan_catches(source):
    assert _language_choices(source)


def test_the_language_scan_lets_facts_pass():
    assert not _language_choices('note = Note("few_clusters", {"column": name, "n": 3})\nlabel = spec.label(x, lang)')

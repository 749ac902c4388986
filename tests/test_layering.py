"""Study code returns numbers; text, stars and language choices live in the output layer, so the
dependency goes one way: cipanel.output may import cipanel.study's table classes, never back."""

from __future__ import annotations

import ast
from pathlib import Path

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

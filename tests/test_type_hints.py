"""Every public function of the package has type hints on its arguments and its return (ruff's
ANN2xx rules check the returns; its ANN001 cannot tell a public function from a private helper,
so the arguments are checked here). Public: not starting with _, at module level or in a public
class, in a module not starting with _."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "python" / "cipanel"


def untyped(path: Path, root: Path = PACKAGE) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    missing = []

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                visit(node.body, f"{prefix}{node.name}.")
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_"):
                a = node.args
                every = a.posonlyargs + a.args + a.kwonlyargs + [x for x in (a.vararg, a.kwarg) if x]
                names = [x.arg for x in every if x.annotation is None and x.arg not in ("self", "cls")]
                if node.returns is None:
                    names.append("return")
                missing.extend(f"{path.relative_to(root)}:{node.lineno} {prefix}{node.name}: {n}" for n in names)

    visit(tree.body, "")
    return missing


def test_public_functions_have_type_hints():
    modules = [p for p in sorted(PACKAGE.rglob("*.py")) if not p.name.startswith("_") or p.name == "__init__.py"]
    assert len(modules) > 50
    missing = [m for p in modules for m in untyped(p)]
    assert missing == [], "add type hints:\n" + "\n".join(missing)


def test_the_check_finds_a_missing_hint(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f(x, y: int) -> int: ...\ndef _g(z): ...\nclass C:\n    def m(self, w: int): ...\n", encoding="utf-8"
    )
    assert untyped(sample, tmp_path) == ["sample.py:1 f: x", "sample.py:4 C.m: return"]

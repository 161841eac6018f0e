"""Every public function, class and method of ``tradecalc`` and the add-in has a docstring.

Read from the source with ``ast``: a public module-level function or class (name not
starting with "_"), and every public method of a public class, must open with a
docstring. ``tradecalc/workbook/function_data.py`` is generated data and left out.
"""

from __future__ import annotations

import ast

from helpers import ROOT

PACKAGES = (ROOT / "tradecalc", ROOT / "addin" / "tradecalc_udfs")
SKIPPED = {ROOT / "tradecalc" / "workbook" / "function_data.py"}
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def undocumented(path, root=ROOT) -> list[str]:
    """``path:line name`` (relative to ``root``) of every public definition at ``path`` with no docstring."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    where = path.relative_to(root).as_posix()
    out = []
    for node in tree.body:
        if not isinstance(node, _DEFS) or node.name.startswith("_"):
            continue
        if ast.get_docstring(node) is None:
            out.append(f"{where}:{node.lineno} {node.name}")
        if isinstance(node, ast.ClassDef):
            for m in node.body:
                if (
                    isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))
                    and not m.name.startswith("_")
                    and ast.get_docstring(m) is None
                ):
                    out.append(f"{where}:{m.lineno} {node.name}.{m.name}")
    return out


def modules() -> list:
    """Every module of the packages, the generated data file left out."""
    return [p for pkg in PACKAGES for p in sorted(pkg.rglob("*.py")) if p not in SKIPPED]


def test_the_walk_sees_the_packages():
    names = {p.relative_to(ROOT).as_posix() for p in modules()}
    assert "tradecalc/model/release.py" in names
    assert "addin/tradecalc_udfs/reference.py" in names
    assert "tradecalc/workbook/function_data.py" not in names


def test_every_public_definition_has_a_docstring():
    missing = [entry for p in modules() for entry in undocumented(p)]
    assert not missing, f"{len(missing)} public definitions without a docstring:\n" + "\n".join(
        missing
    )


def test_a_missing_docstring_is_reported(tmp_path):
    src = tmp_path / "m.py"
    src.write_text(
        '"""A module."""\n\n\ndef f():\n    pass\n\n\ndef _g():\n    pass\n\n\n'
        'class C:\n    """C."""\n\n    def m(self):\n        pass\n\n    def _n(self):\n        pass\n\n\n'
        "class _D:\n    def m(self):\n        pass\n",
        encoding="utf-8",
    )
    assert undocumented(src, tmp_path) == ["m.py:4 f", "m.py:15 C.m"]

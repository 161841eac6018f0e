"""Dependencies point one way: calc ← model ← analysis ← workbook ← cli (io and errors below all).

Read from the source with ``ast`` (every ``import``/``from`` statement, at module level or inside
a function), so a lazy import inside a function counts as much as one at the top.
"""

from __future__ import annotations

import ast

import pytest
from helpers import ROOT

PACKAGE = ROOT / "tradecalc"
#: Layer → the layers it may import (besides itself).
ALLOWED = {
    "errors": set(),
    "io": {"errors"},
    "calc": {"io", "errors"},
    "model": {"calc", "io", "errors"},
    "analysis": {"model", "calc", "io", "errors"},
    "workbook": {"analysis", "model", "calc", "io", "errors"},
    "extract": {"analysis", "model", "calc", "io", "errors"},
    "cli": {"workbook", "extract", "analysis", "model", "calc", "io", "errors", "package"},
}
#: Never imported by the core (the add-in and the Excel bridge sit on top of it).
FORBIDDEN = ("tradecalc_udfs", "xlwings")


def layer_of(path) -> str:
    rel = path.relative_to(PACKAGE)
    if len(rel.parts) == 1:
        # tradecalc/__init__.py re-exports every layer's public names; __main__.py runs the cli
        return "package" if rel.name in ("__init__.py", "__main__.py") else rel.stem
    return rel.parts[0]


def imported(path) -> list[tuple[int, str]]:
    """(line, dotted module) of every import in the file, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = path.relative_to(ROOT).with_suffix("").parts
    package = here[:-1] if path.name != "__init__.py" else here[:-1]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join(base + ((node.module,) if node.module else ()))
            else:
                name = node.module or ""
            out.append((node.lineno, name))
    return out


def test_the_layers_exist_as_the_readme_names_them():
    found = {layer_of(p) for p in PACKAGE.rglob("*.py")}
    assert set(ALLOWED) - {"errors"} <= found | {"errors"}
    assert found <= set(ALLOWED) | {"package"}, found - set(ALLOWED)


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_each_module_imports_only_the_layers_below_it(path):
    layer = layer_of(path)
    if layer == "package":
        return
    wrong = []
    for line, name in imported(path):
        top = name.split(".")[0]
        if top in FORBIDDEN:
            wrong.append(f"line {line}: {name} (the core never imports the add-in or xlwings)")
        elif top == "tradecalc":
            parts = name.split(".")
            target = parts[1] if len(parts) > 1 else "package"
            if target != layer and target not in ALLOWED[layer]:
                wrong.append(f"line {line}: {name} ({layer} may import {sorted(ALLOWED[layer])})")
    assert not wrong, "\n".join(wrong)

"""Readers stay independent: none imports another, and the readers package has no import cycle.

A reader that imports another drags that reader's dependencies and failures into its own, and two
that import each other cannot be loaded one without the other. Code two readers share lives in a
module both use (``docx_blocks``, ``html_blocks``, ``rtf``, ``text/lines`` …). Imports inside
functions count too: a cycle through them fails just as late, only at a worse moment.
"""

from __future__ import annotations

import ast
from importlib.metadata import entry_points
from pathlib import Path

import govreport.readers

PACKAGE = Path(govreport.readers.__file__).parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(name: str, path: Path) -> set[str]:
    """Modules of the readers package that ``path`` imports, wherever in the file."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)  # `from . import x`
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return (found & MODULES.keys()) - {name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}

READER_MODULES = {
    ep.value.split(":")[0]
    for ep in entry_points(group="govreport.readers")
    if ep.value.startswith("govreport.readers.")
}


def test_the_graph_sees_imports_of_every_form():
    # a relative module import, a parent-relative one and `from . import name`
    assert "govreport.readers.docx_blocks" in GRAPH["govreport.readers.word_family"]
    assert "govreport.readers.base" in GRAPH["govreport.readers.text.tabbed"]
    assert "govreport.readers.text.markdown_lines" in GRAPH["govreport.readers.text.markdown"]
    assert {"govreport.readers.docx", "govreport.readers.text.tabbed"} <= READER_MODULES


def test_no_module_of_the_readers_package_imports_a_reader():
    offenders = {name: sorted(deps & READER_MODULES) for name, deps in GRAPH.items() if deps & READER_MODULES}
    assert offenders == {}


def test_the_readers_package_has_no_import_cycle():
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for dep in sorted(GRAPH[name]):
            if state.get(dep) == 1:
                cycles.append(path[path.index(dep):] + [dep])
            elif dep not in state:
                visit(dep, path + [dep])
        state[name] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [name])
    assert cycles == []

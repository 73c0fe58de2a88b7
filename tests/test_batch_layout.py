"""The batch package has no import cycle, function-level imports included.

Two modules that import each other cannot be read (or loaded) one without the other; a cycle
through an import inside a function fails as surely, only later. Code two parts of the batch share
lives in a module both use (``summary``, ``results``, ``resume``, ``options``, ``outputs.base``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import govreport.batch

PACKAGE = Path(govreport.batch.__file__).parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(name: str, path: Path) -> set[str]:
    """Modules of the batch package that ``path`` imports, wherever in the file."""
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


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for dep in sorted(graph[name]):
            if state.get(dep) == 1:
                cycles.append(path[path.index(dep):] + [dep])
            elif dep not in state:
                visit(dep, path + [dep])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    return cycles


def test_the_graph_sees_imports_of_every_form():
    # an import inside a function, a parent-relative one, and `from . import readback`
    assert "govreport.batch.engines.dask" in GRAPH["govreport.batch.dataset"]
    assert "govreport.batch.summary" in GRAPH["govreport.batch.engines.local"]
    assert "govreport.batch.outputs.readback" in GRAPH["govreport.batch.outputs.tables"]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


def test_the_batch_package_has_no_import_cycle():
    assert _cycles(GRAPH) == []


def test_engines_and_outputs_do_not_reach_back_into_the_entry_points():
    entry = {"govreport.batch", "govreport.batch.dataset", "govreport.batch.cli"}
    inner = {n: sorted(GRAPH[n] & entry) for n in GRAPH if n.startswith(("govreport.batch.engines",
                                                                        "govreport.batch.outputs"))}
    assert {n: deps for n, deps in inner.items() if deps} == {}

"""The package's import graph, read from the source (nothing is imported): no import circle, no
reader importing another reader, no private module or name used from outside its package.

Every ``import`` counts, at module level or inside a function: a lazy import still ties the two
modules together, it only postpones the failure a circle causes. Imports under
``if TYPE_CHECKING:`` are left out, since they never run, and so are those under
``if __name__ == "__main__":``, which run only in a module started as a program (a module of its
own, ``__main__``).
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
PACKAGE = "govreport"
READERS = f"{PACKAGE}.readers"


@attrs.frozen
class Edge:
    """``importer`` imports module ``target`` (``name`` from it, when the import names one)."""

    importer: str
    target: str
    name: str | None
    line: int


def module_name(path: Path, src: Path = SRC) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def discover(src: Path = SRC) -> dict[str, Path]:
    return {module_name(p, src): p for p in sorted((src / PACKAGE).rglob("*.py"))}


def is_package(modules: dict[str, Path], name: str) -> bool:
    return modules[name].name == "__init__.py"


def package_of(modules: dict[str, Path], name: str) -> str:
    return name if is_package(modules, name) else name.rpartition(".")[0]


def _never_imported(test: ast.expr) -> bool:
    """Whether the body of ``if test:`` runs in no import of the module."""
    if isinstance(test, ast.Name | ast.Attribute):
        return (test.id if isinstance(test, ast.Name) else test.attr) == "TYPE_CHECKING"
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "__name__"
            and len(test.comparators) == 1 and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value == "__main__")


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _never_imported(node.test):
            stack.extend(reversed(node.orelse))
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        stack.extend(reversed(list(ast.iter_child_nodes(node))))  # in source order


def _resolve(modules: dict[str, Path], importer: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = package_of(modules, importer).split(".")
    if node.level > 1:
        base = base[: -(node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def edges(modules: dict[str, Path]) -> list[Edge]:
    """Every import of one of the package's modules by another."""
    out: list[Edge] = []
    for importer, path in modules.items():
        tree = ast.parse(path.read_text("utf-8"), filename=str(path))
        for node in _imports(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in modules:
                        out.append(Edge(importer, alias.name, None, node.lineno))
                continue
            source = _resolve(modules, importer, node)
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                if submodule in modules:  # from package import module
                    out.append(Edge(importer, submodule, None, node.lineno))
                elif source in modules:
                    out.append(Edge(importer, source, alias.name, node.lineno))
    return out


def circles(modules: dict[str, Path], graph: list[Edge]) -> list[list[str]]:
    """The import circles: strongly connected groups of more than one module, or a module importing
    itself (Tarjan's algorithm, iterative so that a deep chain cannot exhaust the stack)."""
    succ: dict[str, set[str]] = {m: set() for m in modules}
    for e in graph:
        succ[e.importer].add(e.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    for start in sorted(modules):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(succ[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, it = work[-1]
            nxt = next(it, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(succ[nxt]))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    m = stack.pop()
                    on_stack.discard(m)
                    group.append(m)
                    if m == node:
                        break
                if len(group) > 1 or node in succ[node]:
                    found.append(sorted(group))
    return sorted(found)


def reader_modules(pyproject: Path = ROOT / "pyproject.toml") -> set[str]:
    """The modules that hold a built-in reader: the targets of the package's reader entry points."""
    data = tomllib.loads(pyproject.read_text("utf-8"))
    points = data["project"]["entry-points"]["govreport.readers"]
    return {value.partition(":")[0] for value in points.values()}


def reader_of(modules: dict[str, Path], readers: set[str], name: str) -> str | None:
    """Which reader a module belongs to, or ``None`` for what readers share (``readers.base``, helper
    modules). A package under ``readers`` that holds exactly one reader is that reader, helpers and
    all; a package holding several (the plain-text readers) is only their home."""
    if name in readers:
        home = package_of(modules, name)
        if home != READERS and name != home and sum(r.startswith(home + ".") or r == home for r in readers) == 1:
            return home
        return name
    if not name.startswith(READERS + "."):
        return None
    parts = name.split(".")
    for depth in range(len(parts) - 1, 2, -1):
        pkg = ".".join(parts[:depth])
        inside = [r for r in readers if r == pkg or r.startswith(pkg + ".")]
        if len(inside) == 1:
            return reader_of(modules, readers, inside[0])
        if inside:
            return None
    return None


def _private(part: str) -> bool:
    return part.startswith("_") and not part.startswith("__")


def private_uses(modules: dict[str, Path], graph: list[Edge]) -> list[str]:
    """Imports of a ``_private`` module or name by a module of another package."""
    out = []
    for e in graph:
        home = package_of(modules, e.importer)
        target_home = package_of(modules, e.target)
        if any(_private(p) for p in e.target.split(".")) and target_home != home:
            out.append(f"{e.importer}:{e.line} imports the private module {e.target}")
        elif e.name is not None and _private(e.name) and target_home != home:
            out.append(f"{e.importer}:{e.line} imports the private name {e.target}.{e.name}")
    return out


def reader_crossings(modules: dict[str, Path], graph: list[Edge], readers: set[str]) -> list[str]:
    out = []
    for e in graph:
        a, b = reader_of(modules, readers, e.importer), reader_of(modules, readers, e.target)
        if a is not None and b is not None and a != b:
            out.append(f"{e.importer}:{e.line} (reader {a}) imports {e.target} (reader {b})")
    return out


MODULES = discover()
GRAPH = edges(MODULES)


# -- the checks, on a small package written for them ----------------------------------------------


def _tree(tmp_path: Path, files: dict[str, str]) -> dict[str, Path]:
    for rel, text in files.items():
        p = tmp_path / PACKAGE / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, "utf-8")
    return discover(tmp_path)


def test_relative_and_lazy_imports_are_edges_and_type_checking_ones_are_not(tmp_path: Path) -> None:
    mods = _tree(tmp_path, {
        "__init__.py": "from .a import f\n",
        "a.py": "def f():\n    from .sub import b\n    return b\n",
        "sub/__init__.py": "",
        "sub/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .. import a\nfrom ..a import f as g\n"
                    "if __name__ == '__main__':\n    from govreport.sub.b import main\n",
    })
    got = {(e.importer, e.target, e.name) for e in edges(mods)}
    assert got == {("govreport", "govreport.a", "f"), ("govreport.a", "govreport.sub.b", None),
                   ("govreport.sub.b", "govreport.a", "f")}
    assert circles(mods, edges(mods)) == [["govreport.a", "govreport.sub.b"]]


def test_a_private_module_or_name_is_flagged_only_across_packages(tmp_path: Path) -> None:
    mods = _tree(tmp_path, {
        "__init__.py": "",
        "p/__init__.py": "from ._impl import _helper\n",
        "p/_impl.py": "def _helper():\n    pass\n",
        "q.py": "from .p._impl import run\nfrom .p import _helper\n",
    })
    assert private_uses(mods, edges(mods)) == [
        "govreport.q:1 imports the private module govreport.p._impl",
        "govreport.q:2 imports the private name govreport.p._helper",
    ]


def test_a_reader_package_is_one_reader_and_shared_helpers_belong_to_none(tmp_path: Path) -> None:
    mods = _tree(tmp_path, {
        "__init__.py": "", "readers/__init__.py": "", "readers/base.py": "",
        "readers/scan/__init__.py": "", "readers/scan/reader.py": "from . import _engine\nfrom .. import base\n",
        "readers/scan/_engine.py": "",
        "readers/text/__init__.py": "", "readers/text/lines.py": "",
        "readers/text/one.py": "from .lines import x\n", "readers/text/two.py": "from .one import y\n",
        "readers/blocks.py": "", "readers/word.py": "from .blocks import z\nfrom .scan._engine import e\n",
    })
    readers = {"govreport.readers.scan.reader", "govreport.readers.text.one", "govreport.readers.text.two",
               "govreport.readers.word"}
    assert reader_of(mods, readers, "govreport.readers.scan._engine") == "govreport.readers.scan"
    assert reader_of(mods, readers, "govreport.readers.text.lines") is None
    assert reader_of(mods, readers, "govreport.readers.base") is None
    assert reader_crossings(mods, edges(mods), readers) == [
        "govreport.readers.text.two:1 (reader govreport.readers.text.two) imports govreport.readers.text.one "
        "(reader govreport.readers.text.one)",
        "govreport.readers.word:2 (reader govreport.readers.word) imports govreport.readers.scan._engine "
        "(reader govreport.readers.scan)",
    ]


# -- the package itself ---------------------------------------------------------------------------


def test_the_graph_sees_the_package() -> None:
    assert {"govreport", "govreport.model", "govreport.pipeline", "govreport.readers.base"} <= MODULES.keys()
    assert ("govreport.model", "Report") in {(e.target, e.name) for e in GRAPH if e.importer == "govreport.pipeline"}
    assert reader_modules() <= MODULES.keys(), "an entry point names a module that is not in src/"


def test_no_import_circle() -> None:
    assert circles(MODULES, GRAPH) == []


def test_no_reader_imports_another_reader() -> None:
    assert reader_crossings(MODULES, GRAPH, reader_modules()) == []


def test_no_private_module_or_name_is_imported_from_another_package() -> None:
    assert private_uses(MODULES, GRAPH) == []

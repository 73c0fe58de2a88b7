"""Reader plugins: discovery, isolation of broken ones, name clashes, and the example package."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

import govreport
from govreport.registry import GROUP, default_registry, load_registry
from govreport.source import open_source

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "govreport-markdown"
HANGU = Path(__file__).parent / "data" / "seeds" / "hangu-2019-tabbed.txt"


def gold(path: Path) -> dict:
    return json.loads(path.with_name(path.name.rsplit(".", 1)[0] + ".gold.json").read_text("utf-8"))


def fake(name: str, value: str) -> metadata.EntryPoint:
    return metadata.EntryPoint(name=name, value=value, group=GROUP)


def builtins() -> list[metadata.EntryPoint]:
    return [ep for ep in metadata.entry_points(group=GROUP) if ep.dist is not None and ep.dist.name == "govreport"]


def test_builtins_are_entry_points():
    names = {ep.name for ep in builtins()}
    assert {"tabbed", "pipe", "vertical", "ocr_text", "docx", "html", "pdf", "word", "markdown"} <= names
    reg = load_registry(builtins())
    assert reg.problems == ()
    assert all(info.builtin and info.distribution == "govreport" for info in reg.readers)


@pytest.mark.parametrize("plugin", ["_plugins:ClaimsThenRaises", "_plugins:ReturnsGarbage",
                                    "_plugins:MalformedDocument", "_plugins:BrokenClaim"])
def test_broken_plugin_is_skipped_with_a_warning(plugin):
    reg = load_registry([*builtins(), fake("broken", plugin)])
    report = govreport.parse(HANGU, registry=reg)
    assert report.reader == "tabbed"
    assert report.to_dict(full=False) == gold(HANGU)
    warnings = [f.message for f in report.findings if f.rule == "reader"]
    bad_name = next(i.name for i in reg.readers if not i.builtin)
    assert any(repr(bad_name) in w for w in warnings), warnings


def test_plugin_that_fails_to_import_or_is_not_a_reader():
    reg = load_registry([*builtins(), fake("missing", "no_such_module_xyz:Reader"), fake("nar", "_plugins:NotAReader")])
    assert {i.name for i in reg.readers} == {ep.name for ep in builtins()}
    assert any("'missing'" in p and "failed to load" in p for p in reg.problems)
    assert any("'nar'" in p and "not a valid reader" in p for p in reg.problems)
    report = govreport.parse(HANGU, registry=reg)
    assert sum(f.rule == "reader" for f in report.findings) == 2


def test_builtin_name_cannot_be_taken_silently():
    reg = load_registry([fake("tabbed2", "_plugins:TakesBuiltinName"), *builtins()])
    assert reg.get("tabbed").builtin
    assert any("refused" in p for p in reg.problems)


def test_explicit_replacement_is_allowed_and_said():
    reg = load_registry([*builtins(), fake("pipe", "_plugins:ReplacesBuiltin")])
    assert reg.get("pipe").version == "9" and not reg.get("pipe").builtin
    assert any("replaces" in p for p in reg.problems)


@pytest.fixture(scope="module")
def example_installed():
    try:
        metadata.distribution("govreport-markdown")
        installed_here = False
    except metadata.PackageNotFoundError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", str(EXAMPLE)], check=True)
        installed_here = True
    default_registry.cache_clear()
    yield
    if installed_here:
        subprocess.run([sys.executable, "-m", "pip", "uninstall", "-q", "-y", "govreport-markdown"], check=True)
    default_registry.cache_clear()


@pytest.mark.parametrize("name", ["linjiang-2022-synthetic", "hangu-2019-tabbed"])
def test_example_plugin_is_discovered_and_exact(example_installed, name):
    info = default_registry().get("markdown_example")
    assert info.distribution == "govreport-markdown" and not info.builtin
    path = EXAMPLE / "tests" / "data" / f"{name}.md"
    assert info.reader.claim(open_source(path)) > 0
    # the built-in markdown reader claims Markdown too; the example is asked for by name
    report = govreport.parse(path, reader="markdown_example")
    assert report.reader == "markdown_example"
    assert report.to_dict(full=False) == gold(path)
    assert not [f for f in report.findings if f.severity != "info"]


def test_example_plugin_listed_by_cli(example_installed):
    out = subprocess.run([sys.executable, "-m", "govreport", "readers"], capture_output=True, text=True, check=True)
    line = next(x for x in out.stdout.splitlines() if x.startswith("markdown_example"))
    assert "govreport-markdown" in line and "text" in line

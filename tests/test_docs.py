"""The README and docs/ as a new user walks through them: every example runs as written.

Each page's examples run in order in a folder laid out as the examples assume (``reports/``,
``report.docx``, ``corpus/`` with gold answers, ...), built from the test data. ``pycon`` blocks
(``>>>``) are doctests, so the outputs they show are checked; ``python`` blocks must run without an
error; each ``govreport …`` line of a ``sh`` block must end with exit code 0 or 1 (1: a rule broken
or a score below target, as documented) and print no traceback; a ``console`` block's ``$ command``
must print exactly the lines shown under it. A block the test cannot run (a
Dask cluster, another OCR engine) is preceded in the page by ``<!-- docs-test: skip: reason -->``.

Also: every option of every command appears in docs/cli.md, in that command's section.
"""

from __future__ import annotations

import argparse
import doctest
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import govreport
from govreport.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
FENCE = re.compile(r"^(?P<skip><!-- docs-test: skip: [^>]*-->\n)?```(?P<lang>[a-z]*)[^\n]*\n(?P<body>.*?)^```$",
                   re.M | re.S)
#: shell commands a docs test does not run: installing, the test suite itself, other tools
NOT_RUN = re.compile(r"^(pip|python|dask|apt-get|sudo|cd|export)\b")


def blocks(page: Path) -> list[tuple[str, str, int, bool]]:
    text = page.read_text("utf-8")
    return [(m["lang"], m["body"], text[:m.start()].count("\n") + 1, bool(m["skip"])) for m in FENCE.finditer(text)]


@pytest.fixture
def sandbox(tmp_path_factory) -> Path:
    """A user's working folder, with the files the examples name (a fresh one for each page)."""
    d = tmp_path_factory.mktemp("walk")
    seeds = DATA / "seeds"
    (d / "reports").mkdir()
    (d / "corpus").mkdir()
    (d / "their-output").mkdir()
    for f in sorted(seeds.glob("*.txt")):
        shutil.copy(f, d / "reports" / f.name)
        shutil.copy(f, d / "corpus" / f.name)
        gold = f.with_name(f.stem + ".gold.json")
        shutil.copy(gold, d / "corpus" / gold.name)
        shutil.copy(gold, d / "their-output" / f"{f.stem}.json")
    shutil.copy(DATA / "office" / "hangu-2019-tabbed.docx", d / "report.docx")
    shutil.copy(DATA / "pdf" / "hangu-2019-tabbed.pdf", d / "report.pdf")
    (d / "crawl" / "a").mkdir(parents=True)
    shutil.copy(DATA / "pdf" / "bureau-2019-pipe.pdf", d / "crawl" / "a" / "bureau.pdf")
    shutil.copy(DATA / "office" / "bureau-2019-pipe.docx", d / "extra.docx")
    shutil.copy(DATA / "scans" / "generated-21-2019.pdf", d / "scan.pdf")  # a whole report: its values are asked for
    _scans(d, ("2019年政府信息公开年报.pdf", "page-scans.tif"))
    shutil.copy(DATA / "legacy" / "qinglan-2012-annual.html", d / "2012年政府信息公开工作年度报告.html")
    (d / "out").mkdir()
    for md in (d / "report.md", d / "out" / "report.md"):  # a converter's output
        shutil.copy(DATA / "markdown" / "county-2021-mineru.md", md)
    (d / "src" / "govreport").mkdir(parents=True)
    shutil.copytree(ROOT / "src" / "govreport" / "samples", d / "src" / "govreport" / "samples")
    return d


def _scans(d: Path, names: tuple[str, ...]) -> None:
    """One-page scans under the names the OCR examples use (OCR takes seconds a page)."""
    try:
        from PIL import Image
    except ImportError:  # without the ocr extra (ocr.md is then skipped)
        for n in names:
            shutil.copy(DATA / "scans" / ("generated-31-2021.tif" if n.endswith(".tif") else "generated-21-2019.pdf"),
                        d / n)
        return
    with Image.open(DATA / "scans" / "generated-31-2021-rotated-table-c.jpg") as img:
        page = img.convert("RGB")
        for n in names:
            page.save(d / n, resolution=150.0)


def _run_shell(line: str, cwd: Path) -> subprocess.CompletedProcess:
    bindir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bindir + os.pathsep + os.environ.get("PATH", ""), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(["bash", "-c", line], cwd=cwd, capture_output=True, text=True, env=env, timeout=600)


def _commands(body: str) -> list[str]:
    out = []
    for raw in body.splitlines():
        line = re.sub(r"\s+#.*$", "", raw).strip()
        for part in (p.strip() for p in line.split("&&")):
            if part and not NOT_RUN.match(part) and "govreport" in part:
                out.append(part)
    return out


def _session(body: str) -> list[tuple[str, str]]:
    """``$ command`` lines of a console block, each with the output shown under it."""
    out: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            out.append((line[2:], []))
        elif out:
            out[-1][1].append(line)
    return [(cmd, "\n".join(lines).strip()) for cmd, lines in out]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_examples_run_as_written(page, sandbox, monkeypatch):
    if page.name == "ocr.md" and importlib.util.find_spec("rapidocr_onnxruntime") is None:
        pytest.skip('the OCR examples need the ocr extra (pip install "govreport[ocr]")')
    monkeypatch.chdir(sandbox)
    ns: dict = {"__name__": "__docs__", "govreport": govreport}  # every page's reader has imported it
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    ran = 0
    for lang, body, line, skip in blocks(page):
        if skip or lang not in ("python", "pycon", "sh", "bash", "shell", "console"):
            continue
        where = f"{page.name}:{line}"
        if lang == "pycon":
            test = doctest.DocTestParser().get_doctest(body, ns, where, str(page), line)
            result = runner.run(test, clear_globs=False)
            ns.update(test.globs)  # a DocTest works on a copy: later blocks use what this one made
            assert result.failed == 0, f"{where}: the example's output is not what the code prints (see above)"
        elif lang == "python":
            try:
                exec(compile(body, where, "exec"), ns)
            except Exception as exc:  # noqa: BLE001 - reported with the page and line
                pytest.fail(f"{where}: the example raises {type(exc).__name__}: {exc}")
        elif lang == "console":
            for cmd, expected in _session(body):
                cp = _run_shell(cmd, sandbox)
                assert cp.returncode in (0, 1), f"{where}: `{cmd}` exited {cp.returncode}:\n{cp.stderr[-2000:]}"
                assert cp.stdout.strip() == expected, f"{where}: `{cmd}` prints\n{cp.stdout}\nnot\n{expected}"
        else:
            for cmd in _commands(body):
                cp = _run_shell(cmd, sandbox)
                assert cp.returncode in (0, 1) and "Traceback" not in cp.stderr, (
                    f"{where}: `{cmd}` exited {cp.returncode}:\n{cp.stderr[-2000:]}")
        ran += 1
    if page.name in ("README.md", "quickstart.md", "cli.md"):
        assert ran, f"{page.name}: no example was run"


# ---------------------------------------------------------------- cli.md lists every option


def _sections(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in re.finditer(r"^## (.+?)\n(.*?)(?=^## |\Z)", text, re.M | re.S):
        for name in re.findall(r"`([a-z]+)`", m[1]):
            out[name] = m[2]
    return out


def test_cli_md_lists_every_command_and_option():
    text = (ROOT / "docs" / "cli.md").read_text("utf-8")
    parser = build_parser()
    assert "--version" in text
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    sections = _sections(text)
    missing = []
    for name, cmd in sub.choices.items():
        section = sections.get(name)
        if section is None:
            missing.append(f"a section for `{name}`")
            continue
        for action in cmd._actions:
            for opt in action.option_strings:
                if opt not in ("-h", "--help") and f"`{opt}" not in section and f" {opt}`" not in section \
                        and f"`{opt} " not in section:
                    missing.append(f"{name} {opt}")
    assert not missing, "docs/cli.md lacks: " + ", ".join(missing)

"""Hypothesis is the ``testing`` extra, not a core dependency.

Each check runs in a fresh interpreter in which ``hypothesis`` cannot be imported (a ``sys.meta_path``
finder refuses it): the core imports, parses and answers ``--help``; ``govreport.testing`` and
``govreport bench --generate`` say which extra to install, in one line, with no traceback.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import govreport

SAMPLE = Path(govreport.__file__).parent / "samples" / "sample-tabbed-2021.txt"

NO_HYPOTHESIS = """
import sys

class _RefuseHypothesis:
    def find_spec(self, name, path=None, target=None):
        if name == "hypothesis" or name.startswith("hypothesis."):
            raise ModuleNotFoundError(f"No module named {name!r} (refused by the test)", name=name)
        return None

for _name in [m for m in sys.modules if m == "hypothesis" or m.startswith("hypothesis.")]:
    del sys.modules[_name]
sys.meta_path.insert(0, _RefuseHypothesis())
"""

INSTALL = 'pip install "govreport[testing]"'


def run_without_hypothesis(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", NO_HYPOTHESIS + code], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)


def test_the_finder_refuses_hypothesis(tmp_path):
    # without this, every test below could pass because hypothesis was simply imported
    done = run_without_hypothesis("import hypothesis\n", tmp_path)
    assert done.returncode != 0 and "refused by the test" in done.stderr


def test_the_core_parses_without_hypothesis(tmp_path):
    code = f"""
import govreport
report = govreport.parse({str(SAMPLE)!r})
print(report.format, report.applications["total"]["total"])
assert "hypothesis" not in sys.modules, "the core imported hypothesis"
"""
    done = run_without_hypothesis(code, tmp_path)
    assert done.returncode == 0, done.stderr
    fmt, total = done.stdout.split()
    assert fmt == "2021" and int(total) >= 0


def test_the_cli_parses_and_helps_without_hypothesis(tmp_path):
    code = f"""
from govreport.cli import main
code = main(["parse", {str(SAMPLE)!r}])
assert "hypothesis" not in sys.modules, "govreport parse imported hypothesis"
sys.exit(code)
"""
    done = run_without_hypothesis(code, tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["format"] == "2021"

    done = run_without_hypothesis("from govreport.cli import main\nsys.exit(main(['--help']))\n", tmp_path)
    assert done.returncode == 0, done.stderr
    assert "usage: govreport" in done.stdout and "bench" in done.stdout


def test_importing_govreport_testing_names_the_extra(tmp_path):
    code = """
from govreport.errors import MissingDependency
try:
    import govreport.testing
except ImportError as exc:
    assert isinstance(exc, MissingDependency), type(exc)
    print(exc)
else:
    sys.exit("govreport.testing imported without hypothesis")
"""
    done = run_without_hypothesis(code, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert INSTALL in done.stdout


def test_bench_generate_names_the_extra_in_one_line(tmp_path):
    code = f"""
from govreport.cli import main
sys.exit(main(["bench", "--generate", "2", "--out", {str(tmp_path / "corpus")!r}]))
"""
    done = run_without_hypothesis(code, tmp_path)
    assert done.returncode == 3
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("govreport: ") and INSTALL in lines[0], done.stderr
    assert not (tmp_path / "corpus").exists()

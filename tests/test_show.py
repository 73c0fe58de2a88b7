"""`govreport show`: the page of what was read, checked as written and in a real headless Chromium.

The browser half needs Chromium from the distribution's packages (``.ci/run`` installs it); where it
cannot be installed those tests are skipped and say so. A screenshot of each page is kept in the
test's temporary folder.
"""

from __future__ import annotations

import html as htmllib
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import govreport
from govreport.cli import main
from govreport.display import show_html
from govreport.display.marks import marks
from govreport.display.pages import can_draw

DATA = Path(__file__).parent / "data"
KINDS = {
    "txt": DATA / "seeds" / "bureau-2019-pipe.txt",
    "docx": DATA / "office" / "hangu-2019-tabbed.docx",
    "html": DATA / "office" / "langxia-2019-legacy.html",
    "pdf": DATA / "pdf" / "linjiang-2022-synthetic.pdf",
    "scan": DATA / "scans" / "generated-31-2021-rotated-table-c.jpg",
}
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def _browser() -> str | None:
    return next((b for b in (shutil.which(n) for n in BROWSERS) if b), None)


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, tuple[Path, govreport.Report]]:
    out = {}
    d = tmp_path_factory.mktemp("show")
    for kind, path in KINDS.items():
        if kind == "scan" and not can_draw():
            continue
        report = govreport.parse(path)
        page = d / f"{kind}.html"
        page.write_text(show_html(report), "utf-8")  # the report's source is opened again, not parsed
        out[kind] = (page, report)
    return out


def _cells(text: str) -> dict[str, str]:
    """data-cell id -> the text of its cell in the tables panel."""
    return {htmllib.unescape(m[1]): htmllib.unescape(re.sub(r"<[^>]+>", "", m[2]))
            for m in re.finditer(r'<td class="v [^"]*" data-cells="[^"]*" data-cell="([^"]*)">(.*?)</td>', text)}


@pytest.mark.parametrize("kind", list(KINDS))
def test_page_is_self_contained_and_holds_every_value(pages, kind):
    if kind not in pages:
        pytest.skip("pages of scans are drawn with pypdfium2 and Pillow (the ocr extra), not installed")
    page, report = pages[kind]
    text = page.read_text("utf-8")
    # nothing fetched from anywhere: no external URL in a src, href or url()
    refs = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)""", text)
    assert all(r.startswith(("data:", "#")) for r in refs), refs
    assert "url(" not in text and "@import" not in text
    shown = _cells(text)
    every = marks(report)
    assert len(every) == len(list(report.cells()))
    for m in every:
        assert shown.get(m.id) == m.shown, m.id
    if kind in ("pdf", "scan"):
        assert text.count('<img alt="page') == (report.pages or 1)
        assert "data:image/png;base64," in text


def test_pdf_cells_are_boxed_where_they_were_read(pages):
    page, report = pages["pdf"]
    text = page.read_text("utf-8")
    boxed = set()
    for ids in re.findall(r'<div class="box [^"]*" data-cells="([^"]*)"', text):
        boxed |= set(ids.split())
    located = {m.id for m in marks(report) if m.location}
    # every value with a printed cell is boxed on its page (blanks from their row's and column's extent)
    assert len(boxed & located) >= 0.95 * len(located)
    assert text.count('class="tbl"') >= 3


def test_statuses_follow_what_happened(tmp_path):
    src = (DATA / "seeds" / "hangu-2019-tabbed.txt").read_text("utf-8")
    broken = tmp_path / "broken.txt"
    broken.write_text(src.replace("\t（七）总计\n\t1", "\t（七）总计\n\t7"), "utf-8")
    report = govreport.parse(broken)
    by_id = {m.id: m for m in marks(report)}
    breaking = {c for f in report.rule_breaks for c in f.cells}
    assert breaking and all(by_id[c].status == "rule" for c in breaking if c in by_id)
    assert by_id["applications/carried_over/total"].status == "blank"
    assert by_id["active_disclosure/normative_documents/new_made"].status == "read"


def test_cli_writes_the_page(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["show", str(KINDS["txt"])]) == 0
    written = Path(capsys.readouterr().out.strip())
    assert written.name == "bureau-2019-pipe.txt.html" and written.exists()
    assert main(["show", str(tmp_path / "nope.txt")]) == 2
    assert capsys.readouterr().err.startswith("govreport: ")
    out = govreport.show(govreport.parse(KINDS["txt"]), tmp_path / "r.html")
    assert 'data-cell="applications/total/total"' in out.read_text("utf-8")


# ---------------------------------------------------------------- in Chromium

PROBE = """<script>
(function(){
  var v = Array.prototype.find.call(document.querySelectorAll('#side td.v'), function(td){ return td.textContent.trim() !== ''; });
  v.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
  document.body.dataset.tip = document.getElementById('tip').textContent;
  v.dispatchEvent(new MouseEvent('click', {bubbles: true}));
  document.body.dataset.flashed = document.querySelectorAll('#doc .flash').length;
})();
</script></body>"""


def _chromium(browser: str, args: list[str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           "--disable-extensions", "--hide-scrollbars", *args],
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("kind", list(KINDS))
def test_page_in_chromium(pages, kind, tmp_path):
    browser = _browser()
    if browser is None:
        pytest.skip("Chromium is not installed (`apt-get install chromium`; .ci/run installs it)")
    if kind not in pages:
        pytest.skip("pages of scans are drawn with pypdfium2 and Pillow (the ocr extra), not installed")
    page, report = pages[kind]
    probe = tmp_path / f"{kind}.probe.html"
    probe.write_text(page.read_text("utf-8").replace("</body>", PROBE), "utf-8")
    cp = _chromium(browser, ["--virtual-time-budget=5000", "--dump-dom", probe.as_uri()])
    dom = cp.stdout
    assert "<body" in dom, cp.stderr[-2000:]
    body = re.search(r"<body([^>]*)>", dom)[1]
    assert 'data-ready="ok"' in body, "the page's script did not run to its end"
    assert "data-errors" not in body, body
    # the DOM as Chromium built it holds every value, in its cell
    shown = _cells(dom)
    for m in marks(report):
        assert shown.get(m.id) == m.shown, m.id
    tip = htmllib.unescape(re.search(r'data-tip="([^"]*)"', body)[1])
    assert " = " in tip and "read by " in tip  # hovering a value shows its key, provenance and raw text
    if kind != "scan":
        assert int(re.search(r'data-flashed="(\d+)"', body)[1]) >= 1  # a click shows where it was read
    shot = tmp_path / f"{kind}.png"
    _chromium(browser, ["--window-size=1400,1000", f"--screenshot={shot}", page.as_uri()])
    assert shot.exists() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000

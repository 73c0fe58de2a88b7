"""A PDF's text layer is read once a parse: the look the OCR reader takes to claim a PDF (which
pages carry text) is the reading the reader that reads it next takes over."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import govreport
from govreport import pdftext
from govreport.errors import UnreadableInput
from govreport.source import open_source

pdfium_raw = pytest.importorskip("pypdfium2.raw")

PDF = Path(__file__).parent / "data" / "pdf" / "hangu-2019-tabbed.pdf"


def _count_page_loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    loads = [0]
    load = pdfium_raw.FPDF_LoadPage

    def counted(*args):
        loads[0] += 1
        return load(*args)

    monkeypatch.setattr(pdfium_raw, "FPDF_LoadPage", counted)
    return loads


def test_a_parse_loads_each_page_once(monkeypatch):
    monkeypatch.setenv(pdftext.ENV, "pdfium")
    source = open_source(PDF)
    loads = _count_page_loads(monkeypatch)
    report = govreport.parse(source)
    assert report.reader == "pdf"
    assert loads[0] == report.pages  # the OCR reader's claim looked at every page: no second load


def test_the_kept_pages_serve_one_read_of_the_same_source(monkeypatch):
    monkeypatch.setenv(pdftext.ENV, "pdfium")
    source = open_source(PDF)
    looked = pdftext.text_layer(source)
    loads = _count_page_loads(monkeypatch)
    problems: list[str] = []
    assert list(pdftext.read_pages(source, problems)) == looked and loads[0] == 0
    again = list(pdftext.read_pages(source, problems))  # taken: read anew
    assert loads[0] == len(looked) and [p.number for p in again] == [p.number for p in looked]
    pdftext.text_layer(source)
    other = open_source(PDF.read_bytes())  # the same bytes, another source: its own reading
    before = loads[0]
    list(pdftext.read_pages(other, []))
    assert loads[0] == before + len(looked)


def test_a_kept_error_is_raised_by_the_read(monkeypatch):
    source = open_source(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"x" * 64)
    with pytest.raises(UnreadableInput) as looked:
        pdftext.text_layer(source)
    with pytest.raises(UnreadableInput) as read:
        list(pdftext.read_pages(source, []))
    assert read.value is looked.value


def test_pages_kept_in_one_thread_are_not_taken_by_another(monkeypatch):
    monkeypatch.setenv(pdftext.ENV, "pdfium")
    source = open_source(PDF)
    pdftext.text_layer(source)
    loads = _count_page_loads(monkeypatch)
    worker = threading.Thread(target=lambda: list(pdftext.read_pages(source, [])))
    worker.start()
    worker.join()
    assert loads[0] > 0

"""What a new user meets in the first hour: messages, exit codes, streams, folders, typed accessors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import govreport
from govreport.batch.dataset import write_dataset
from govreport.cli import main
from govreport.errors import EmptyInput, MissingDependency, NotAReport, UnsupportedInput
from govreport.model import Money

DATA = Path(__file__).parent / "data"
SEEDS = DATA / "seeds"
HANGU = SEEDS / "hangu-2019-tabbed.txt"


def _err_lines(err: str) -> list[str]:
    return [x for x in err.splitlines() if x.strip()]


# ---------------------------------------------------------------- 1. one line, a documented code

def test_bench_generate_without_libreoffice_is_one_line(tmp_path, capsys, monkeypatch):
    import govreport.testing as testing

    def no_office(*a, **k):
        raise MissingDependency("making PDF files needs LibreOffice (soffice)")

    monkeypatch.setattr(testing, "generate_corpus", no_office)
    code = main(["bench", "--generate", "2", "--out", str(tmp_path / "c"), "--kinds", "pdf"])
    err = capsys.readouterr().err
    assert code == 3
    assert _err_lines(err) == ["govreport: making PDF files needs LibreOffice (soffice)"]
    assert "Traceback" not in err


def test_bench_says_which_kinds_it_leaves_out(tmp_path, capsys, monkeypatch):
    import govreport.testing as testing

    monkeypatch.setattr(testing, "available_kinds", lambda: ("txt",))
    assert main(["bench", "--generate", "1", "--out", str(tmp_path / "c"), "--show-wrong", "0"]) == 0
    err = capsys.readouterr().err
    assert "not generating docx, html, pdf" in err and "LibreOffice" in err
    assert main(["bench", "--generate", "1", "--out", str(tmp_path / "d"), "--kinds", "txt,xls"]) == 3
    assert "xls is not a kind" in capsys.readouterr().err


# ---------------------------------------------------------------- 2. no output without input

def test_extract_with_no_input_leaves_no_output(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    out = tmp_path / "e.sqlite"
    assert main(["extract", str(tmp_path / "empty"), "--out", str(out)]) == 3
    assert not out.exists()
    assert "nothing was written" in capsys.readouterr().err
    # so the next run with input is not blocked by "exists: add --resume"
    assert main(["extract", str(HANGU), "--out", str(out), "-j", "0", "-q"]) == 0
    assert out.exists()


# ---------------------------------------------------------------- 3. plugin extensions from folders

def test_reader_extensions_are_taken_from_folders(tmp_path, monkeypatch):
    from govreport.batch import inputs
    from govreport.registry import ReaderInfo, Registry, default_registry

    class Md:
        name, version, kinds, extensions = "md", "1", ("text",), ("md",)

    real = default_registry()
    fake = Registry(readers=(*real.readers, ReaderInfo(name="md", version="1", kinds=("text",),
                                                       distribution="x", builtin=False, reader=Md())))
    import govreport.registry as registry

    monkeypatch.setattr(registry, "default_registry", lambda: fake)
    (tmp_path / "r.md").write_text("| a | b |\n", "utf-8")
    (tmp_path / "notes.json").write_text("{}", "utf-8")
    taken = [Path(f.path).name for f in inputs.discover([tmp_path])]
    assert taken == ["r.md"]
    from govreport.audit.cli import find_documents

    assert [p.name for p in find_documents([tmp_path])] == ["r.md"]


# ---------------------------------------------------------------- 4. validate and JSON

def test_validate_checks_govreport_json_and_skips_other_json(tmp_path, capsys):
    good = tmp_path / "r.json"
    good.write_text(govreport.dumps(govreport.parse(HANGU)), "utf-8")
    data = json.loads(good.read_text("utf-8"))
    data["applications"]["total"]["total"] = 7  # breaks the totals: the rules are checked again
    data["findings"] = []
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    other = tmp_path / "other.json"
    other.write_text('{"rows": [1, 2]}', "utf-8")
    code = main(["validate", str(good), str(broken), str(other)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "r.json: format 2019" in out and "broken.json: format 2019" in out
    assert out.count("  ERROR R") >= 1 and "r.json: format 2019, 汉沽街道办事处, 2019; 31/198 cells printed, 10 non-zero; 0 rule" in out
    assert "other.json: JSON, but not a govreport/1 report" in err and "skipped" in err


def test_validate_prints_a_rule_once(tmp_path, capsys):
    broken = tmp_path / "broken.txt"
    broken.write_text(HANGU.read_text("utf-8").replace("\t（七）总计\n\t1", "\t（七）总计\n\t7"), "utf-8")
    assert main(["validate", str(broken)]) == 1
    lines = [x for x in capsys.readouterr().out.splitlines() if x.startswith("  ERROR")]
    assert lines and all(not x.split(": ", 1)[1].startswith("R") for x in lines)


# ---------------------------------------------------------------- 5, 7, 8. messages in a user's words

def test_plain_text_is_not_a_report_and_keeps_what_was_read():
    with pytest.raises(NotAReport) as exc:
        govreport.parse("这是一封信。\n没有任何表格。\n" * 3)
    text = str(exc.value)
    assert "not a government information-disclosure annual report" in text
    assert "收到和处理政府信息公开申请情况" in text  # what was looked for
    assert "ocr_text" not in text and "reader" not in text
    assert exc.value.document is not None and exc.value.document.grids == ()


def test_grids_of_a_file_that_is_no_report_are_kept():
    with pytest.raises(NotAReport) as exc:
        govreport.parse("<html><body>\n<table><tr><td>品名</td><td>数量</td></tr><tr><td>纸</td><td>3</td></tr>"
                        "</table>\n</body></html>\n")
    grids = exc.value.document.grids
    assert [[c.text for c in row] for row in grids[0].rows] == [["品名", "数量"], ["纸", "3"]]


def test_a_spreadsheet_is_called_a_spreadsheet(tmp_path):
    x = tmp_path / "t.xlsx"
    with zipfile.ZipFile(x, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(UnsupportedInput, match=r"a spreadsheet \(\.xlsx\)") as exc:
        govreport.parse(x)
    assert "zip input" not in str(exc.value)
    z2 = tmp_path / "a.zip"
    with zipfile.ZipFile(z2, "w") as z:
        z.writestr("x.txt", "x")
    with pytest.raises(UnsupportedInput, match="a zip archive"):
        govreport.parse(z2)


def test_forcing_the_pdf_reader_on_text_says_it_is_text():
    with pytest.raises(UnsupportedInput) as exc:
        govreport.parse(HANGU, reader="pdf")
    assert "plain text" in str(exc.value) and "damaged" not in str(exc.value)


# ---------------------------------------------------------------- 6. folders and 9. paths once

def test_parse_takes_a_folder(tmp_path, capsys):
    for name in ("hangu-2019-tabbed.txt", "bureau-2019-pipe.txt", "hangu-2019-tabbed.gold.json"):
        (tmp_path / name).write_bytes((SEEDS / name).read_bytes())
    assert main(["parse", "--summary", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and all(": format 2019" in x for x in out)


def test_pretty_with_several_files_is_a_usage_error(capsys):
    assert main(["parse", "--pretty", str(HANGU), str(SEEDS / "bureau-2019-pipe.txt")]) == 3
    assert "--pretty" in capsys.readouterr().err


def test_paths_are_named_once(tmp_path, capsys):
    nope = tmp_path / "nope.txt"
    main(["validate", str(nope)])
    out, err = capsys.readouterr()
    assert (out + err).count(str(nope)) == 1
    main(["compare", str(nope), str(HANGU)])
    assert capsys.readouterr().err.count(str(nope)) == 1
    main(["audit", str(nope)])
    assert capsys.readouterr().err.count(str(nope)) == 1


# ---------------------------------------------------------------- 10. streams

def test_parse_reads_streams_and_stdin():
    data = HANGU.read_bytes()
    r = govreport.parse(io.BytesIO(data))
    assert r.meta.year == 2019 and r.source == "<stream>"
    assert govreport.parse(io.StringIO(data.decode("utf-8"))).meta.year == 2019
    with open(HANGU, "rb") as f:
        assert govreport.parse(f).source == str(HANGU)
    cp = subprocess.run([sys.executable, "-m", "govreport", "parse", "--summary", "-"], input=data,
                        capture_output=True, check=True)
    assert cp.stdout.decode("utf-8").startswith("<stdin>: format 2019")


def test_empty_string_is_empty_input(capsys):
    with pytest.raises(EmptyInput, match="empty"):
        govreport.parse("")
    assert main(["parse", ""]) == 3
    assert "empty name" in capsys.readouterr().err


# ---------------------------------------------------------------- 11, 19. accessors

def test_unknown_names_raise_key_error_naming_the_valid_ones():
    r = govreport.parse(HANGU)
    with pytest.raises(KeyError, match="applications"):
        r.table("nope")
    with pytest.raises(KeyError, match="new_received"):
        r.provenance_of("applications", "nope", "total")
    with pytest.raises(KeyError, match="natural_person"):
        r.provenance_of("applications", "total", "nope")
    assert r.provenance_of("applications", "total", "total").raw.strip() == "1"


def test_typed_accessors():
    r = govreport.parse(HANGU)
    total: int | None = r.count("applications", "new_received", "total")
    assert total == 1
    assert r.count("applications", "carried_over", "total") is None
    amount: Money | None = r.amount("active_disclosure", "centralized_procurement", "amount")
    assert isinstance(amount, Money)
    with pytest.raises(TypeError, match="amount"):
        r.count("active_disclosure", "centralized_procurement", "amount")
    with pytest.raises(TypeError, match="count"):
        r.amount("applications", "total", "total")


# ---------------------------------------------------------------- 14. conflicting flags

@pytest.mark.parametrize("flags", [["--json", "--markdown"], ["--all", "--changed"], ["--format", "json", "--markdown"]])
def test_conflicting_compare_flags_are_usage_errors(flags, capsys):
    assert main(["compare", str(HANGU), str(HANGU), *flags]) == 3
    assert "not allowed with" in capsys.readouterr().err


# ---------------------------------------------------------------- 18. CSV for Excel

def test_excel_csv_has_a_bom_and_resumes_with_it(tmp_path):
    out = tmp_path / "o.csv"
    write_dataset([HANGU], out, jobs=0, excel=True)
    raw = (tmp_path / "o.reports.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfpath,")
    s = write_dataset([HANGU, SEEDS / "bureau-2019-pipe.txt"], out, jobs=0, resume=True)
    assert s.ok == 1 and s.skipped == 1
    assert (tmp_path / "o.reports.csv").read_bytes().count(b"\xef\xbb\xbf") == 1
    from govreport.batch.outputs.readback import read_csv_rows

    assert len(list(read_csv_rows(tmp_path / "o.reports.csv", "reports"))) == 2
    with pytest.raises(Exception, match="--excel is for CSV"):
        write_dataset([HANGU], tmp_path / "o.sqlite", jobs=0, excel=True)


# ---------------------------------------------------------------- 20. some pages only

def test_pages_on_an_input_without_pages():
    with pytest.raises(UnsupportedInput, match="no pages"):
        govreport.parse(HANGU, pages=[1])
    with pytest.raises(ValueError):
        govreport.parse(HANGU, pages=[0])


def test_pages_keeps_only_those_pages():
    pdf = DATA / "pdf" / "hangu-2019-tabbed.pdf"
    whole = govreport.parse(pdf)
    pages = {int(p.location.split(",")[0].split()[1]) for p in whole.provenance.values()}
    assert len(pages) > 1  # the tables run over several pages
    first = min(pages)
    part = govreport.parse(pdf, pages=[first])
    kept = {int(p.location.split(",")[0].split()[1]) for p in part.provenance.values()}
    assert kept == {first}
    assert part.pages == whole.pages
    with pytest.raises(UnsupportedInput, match="no page 99"):
        govreport.parse(pdf, pages=[99])


def test_a_slow_read_is_announced_on_a_terminal(monkeypatch, capsys):
    import time

    from govreport import cli

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    with cli._slow_note(Path("scan.pdf"), after=0.05):
        time.sleep(0.3)
    with cli._slow_note(Path("quick.txt"), after=0.5):
        pass
    time.sleep(0.6)
    err = capsys.readouterr().err
    assert "reading scan.pdf" in err and "quick.txt" not in err


# ---------------------------------------------------------------- 12. progress

def test_log_progress_prints_its_last_line_once_and_never_eta_zero_while_reading():
    from govreport.batch.progress import Progress

    buf = io.StringIO()
    p = Progress(buf, tty=False, interval=0)
    p.start(3)
    p.add("ok", "a")
    assert "ETA 0:00" not in p.line()  # a file is still to come
    p.add("ok", "b")
    p.add("ok", "c")
    p.finish("done")
    lines = buf.getvalue().splitlines()
    assert sum("3/3" in x for x in lines) == 1
    assert lines[-1] == "govreport extract: done"


def test_a_named_missing_file_is_reported_once(tmp_path, capsys):
    nope = tmp_path / "nope.txt"
    code = main(["extract", str(nope), str(HANGU), "--out", str(tmp_path / "o.jsonl"), "-j", "0",
                 "--progress", "log"])
    assert code == 2
    err = capsys.readouterr().err
    assert err.count(str(nope)) == 1 and "matched no file" not in err

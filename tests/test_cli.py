"""The govreport command as a user runs it: output, exit codes, bad files in a batch."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from govreport.cli import main

SEEDS = Path(__file__).parent / "data" / "seeds"
HANGU = SEEDS / "hangu-2019-tabbed.txt"


def test_parse_prints_full_json(capsys):
    assert main(["parse", str(HANGU)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == "govreport/1"
    assert data["reader"] == "tabbed"
    assert "applications/new_received/total" in data["provenance"]
    assert data["sections"][0]["key"] == "overview"


def test_parse_many_is_json_lines(capsys):
    assert main(["parse", "--tables-only", str(HANGU), str(SEEDS / "bureau-2019-pipe.txt")]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [json.loads(x)["meta"]["year"] for x in lines] == [2019, 2019]
    assert "provenance" not in json.loads(lines[0])


def test_summary_and_bad_file_in_batch(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    code = main(["parse", "--summary", str(empty), str(HANGU)])
    out, err = capsys.readouterr()
    assert code == 2
    assert "汉沽街道办事处" in out and "0 rule break(s)" in out
    assert "empty" in err


def test_validate_exit_codes(tmp_path, capsys):
    assert main(["validate", str(HANGU)]) == 0
    broken = tmp_path / "broken.txt"
    broken.write_text(HANGU.read_text("utf-8").replace("\t（七）总计\n\t1", "\t（七）总计\n\t7"), "utf-8")
    assert broken.read_text("utf-8") != HANGU.read_text("utf-8")
    assert main(["validate", str(broken)]) == 1
    assert "R1" in capsys.readouterr().out
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01\x02" * 50)
    assert main(["validate", str(junk), str(broken)]) == 2
    assert "UNREADABLE" in capsys.readouterr().out


def test_unknown_reader_is_a_usage_error(capsys):
    assert main(["parse", "--reader", "nosuch", str(HANGU)]) == 3
    assert "installed readers" in capsys.readouterr().err


def test_forced_reader(capsys):
    assert main(["parse", "--reader", "ocr_text", "--summary", str(HANGU)]) in (0, 2)


def test_readers_lists_builtins(capsys):
    assert main(["readers", "--json"]) == 0
    names = {r["name"] for r in json.loads(capsys.readouterr().out)}
    assert {"tabbed", "pipe", "vertical", "ocr_text"} <= names


def test_bad_usage(capsys):
    assert main(["frobnicate"]) == 3
    assert main(["--version"]) == 0


def test_console_script_installed():
    assert shutil.which("govreport")


def test_every_command_has_help(capsys):
    for command in ("parse", "validate", "readers", "extract", "bench", "audit", "compare"):
        assert main([command, "--help"]) == 0, command
    assert main(["--help"]) == 0

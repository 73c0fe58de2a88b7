"""Bad input gets a clear, typed error, never a traceback from inside a dependency."""

from __future__ import annotations

import pytest

import govreport
from govreport import errors


def test_error_hierarchy():
    for cls in (errors.EmptyInput, errors.UnsupportedInput, errors.UnreadableInput, errors.NotAReport):
        assert issubclass(cls, errors.InputError) and issubclass(cls, ValueError)
    assert issubclass(errors.NeedsOCR, errors.UnreadableInput)
    assert issubclass(errors.EncryptedInput, errors.UnreadableInput)
    assert issubclass(errors.MissingDependency, ImportError)
    assert issubclass(errors.UnknownReader, KeyError)


@pytest.mark.parametrize("data,exc", [
    (b"", errors.EmptyInput),
    (b"   \n\t ", errors.EmptyInput),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, errors.UnreadableInput),  # an image, but a broken one
    (bytes(range(256)) * 4, errors.UnsupportedInput),
    (b"PK\x03\x04" + b"\x00" * 40, errors.UnsupportedInput),
])
def test_bad_bytes(data, exc):
    with pytest.raises(exc):
        govreport.parse(data)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(errors.UnreadableInput, match="no such file"):
        govreport.parse(tmp_path / "nope.txt")
    with pytest.raises(errors.UnsupportedInput, match="folder"):
        govreport.parse(tmp_path)


def test_broken_docx_named_file(tmp_path):
    bad = tmp_path / "report.docx"
    bad.write_bytes(b"PK\x03\x04 this is not a zip")
    with pytest.raises(errors.UnreadableInput):
        govreport.parse(bad)


def test_unknown_reader():
    with pytest.raises(errors.UnknownReader, match="installed readers"):
        govreport.parse("一\n二\n", reader="nosuch")


def test_loads_rejects_other_json():
    with pytest.raises(errors.SchemaError):
        govreport.loads("{\"schema\": \"other\"}")
    with pytest.raises(errors.SchemaError):
        govreport.loads("not json")
    with pytest.raises(errors.SchemaError):
        govreport.loads('{"schema": "govreport/1", "applications": {"total": {"total": "seven"}}}')
    with pytest.raises(errors.SchemaError, match="not a report format: '2020'"):
        govreport.loads('{"schema": "govreport/1", "format": "2020"}')


def test_bom_and_crlf_and_gb18030(tmp_path):
    import json
    from pathlib import Path

    seed = Path(__file__).parent / "data" / "seeds" / "xinwei-2020-vertical.txt"
    gold = json.loads(seed.with_name("xinwei-2020-vertical.gold.json").read_text("utf-8"))
    text = seed.read_text("utf-8")
    for data in (b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"), text.encode("gb18030")):
        assert govreport.parse(data).to_dict(full=False) == gold

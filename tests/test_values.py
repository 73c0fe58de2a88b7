import pytest

from govreport.model import Money
from govreport.values import as_count, as_money, header_unit, parse_value


@pytest.mark.parametrize("text,kind,number,negative,unit", [
    ("", "blank", None, False, None),
    ("  \u3000", "blank", None, False, None),
    ("0", "number", "0", False, None),
    ("０", "number", "0", False, None),
    ("1,234", "number", "1234", False, None),
    ("+3", "number", "3", False, None),
    ("-2", "number", "2", True, None),
    ("减少2", "number", "2", True, None),
    ("160.5964万元", "number", "160.5964", False, "万元"),
    ("12条", "number", "12", False, None),
    ("[bookmark: _GoBack]432", "number", "432", False, None),
    ("\u20020", "number", "0", False, None),
    ("—", "dash", "0", False, None),
])
def test_parse_value(text, kind, number, negative, unit):
    p = parse_value(text)
    assert p is not None
    assert (p.kind, p.number, p.negative, p.unit) == (kind, number, negative, unit)


@pytest.mark.parametrize("text", ["规章", "7,7", ">10", ",,,", "//", "1.2.3", "abc"])
def test_not_a_value(text):
    assert parse_value(text) is None


def test_letter_o_is_flagged():
    p = parse_value("1O")
    assert p is not None and p.number == "10" and "letter-o-as-zero" in p.flags


def test_counts():
    assert as_count(parse_value("-2"), signed=True) == (-2, ())
    value, flags = as_count(parse_value("-2"))
    assert value == -2 and "negative-count" in flags
    assert as_count(parse_value("")) == (None, ())
    assert as_count(parse_value("3.0"))[0] == 3
    assert as_count(parse_value("3.5")) == (None, ("fraction-in-count",))
    assert "dash-as-zero" in as_count(parse_value("—"))[1]


def test_money():
    assert as_money(parse_value("160.5964万元"))[0] == Money("160.5964", "万元")
    assert as_money(parse_value("5965713"))[0] == Money("5965713", None)
    assert as_money(parse_value("12.5"), "万元")[0] == Money("12.5", "万元")
    assert as_money(parse_value("3元"), "万元")[0] == Money("3", "元")  # the cell's own unit wins


@pytest.mark.parametrize("text,unit", [("本年收费金额（单位：万元）", "万元"), ("采购总金额(元)", "元"), ("采购总金额", None)])
def test_header_unit(text, unit):
    assert header_unit(text) == unit

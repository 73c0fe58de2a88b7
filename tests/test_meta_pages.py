"""Titles and page metadata as web pages and crawlers print them (FORMAT.md §7)."""

from __future__ import annotations

import pytest

from govreport.document import Paragraph
from govreport.engine.meta import read_meta


def meta(*lines):
    return read_meta(tuple(Paragraph(text=t) for t in lines))


@pytest.mark.parametrize("lines, agency, year", [
    (["示范综合实验区2021年度政府信息公开工作年度报告"], "示范综合实验区", 2021),
    (["2021年度示范县交通运输局政府信息公开工作年度报告"], "示范县交通运输局", 2021),
    (["首页 > 政务公开 > 年报", "示范区2022年度政府信息公开", "工作年度报告"], "示范区", 2022),
    (["当前位置：首页 » 年报", "示范区人民政府", "2022年政府信息公开工作年度报告"], "示范区人民政府", 2022),
])
def test_title_gives_agency_and_year(lines, agency, year):
    m = meta(*lines)
    assert (m.agency, m.year) == (agency, year)


def test_crawler_header_is_the_page_not_the_report():
    m = meta("标题: 示范综合实验区2021年度政府信息公开工作年度报告", "发布时间: 2022-01-20 10:00",
             "发布机构: 示范综合实验区管委会办公室", "一、总体情况", "2021年，本区持续推进政务公开。",
             "发布日期：2022年1月20日")
    assert m.agency == "示范综合实验区" and m.year == 2021
    assert m.published is None  # when the page was posted is no signature date


def test_signature_still_dates_the_report():
    m = meta("标题: 示范区2021年度政府信息公开工作年度报告", "发布时间: 2022-03-01 09:00", "正文……。",
             "示范区人民政府", "2022年1月18日")
    assert str(m.published) == "2022-01-18"

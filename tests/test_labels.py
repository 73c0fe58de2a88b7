import pytest

from govreport.labels import bare_key, clean, label_key, match_score, strip_numbering


def test_clean_folds_width_and_drops_bookmarks():
    assert clean("[bookmark: _GoBack]（一）予以公开") == "(一)予以公开"


@pytest.mark.parametrize("text,expected", [
    ("一、一、本年新收政府信息公开申请数量", "本年新收政府信息公开申请数量"),
    ("（三）不予公开", "不予公开"),
    ("3. 危及“三安全一稳定”", "危及“三安全一稳定”"),
    ("其中：主要负责同志参加新闻发布会次数", "主要负责同志参加新闻发布会次数"),
    ("2、 收到", "收到"),
])
def test_strip_numbering(text, expected):
    assert strip_numbering(clean(text)) == expected


def test_keys():
    assert label_key("（七）总计") == "总计"
    assert bare_key("（七）总计") == "七总计"
    assert label_key("结\n果\n维\n持") == "结果维持"


def test_match_scores():
    assert match_score("予以公开", "予以公开") == 1.0
    assert match_score("一予以公开", "予以公开") == 0.9
    assert match_score("三本年度办理结果一予以公开公开", "予以公开") == 0.7  # a long cell says less about one label
    assert 0.8 < match_score("要求行政机关确认或重新出", "要求行政机关确认或重新出具已获取信息") < 0.9
    assert match_score("其他", "其他处理") == 0.0  # short labels match only exactly
    assert match_score("规范性文件", "规章") == 0.0
    assert match_score("以公开", "予以公开") == 0.0


def test_ocr_look_alike_characters_still_name_the_row():
    """One or two look-alike characters swapped by OCR (政/故, 处/外): the row is still found, with
    less confidence than a clean match; unrelated labels stay unmatched."""
    from govreport.labels import match_score

    one, two = match_score("行故处罚", "行政处罚"), match_score("行故外罚", "行政处罚")
    assert 0.6 <= two and 0.6 <= one < 1.0
    assert match_score("保护弟三方合法权益", "保护第三方合法权益") > 0.6
    assert match_score("行政许可", "行政处罚") < 0.6

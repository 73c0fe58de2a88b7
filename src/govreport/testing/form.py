"""The national tables as the generator prints them: blocks, headers, row labels, sections (FORMAT.md §2–§5).

Shared by the random reports (:mod:`.reports`: which cells a report has) and the renderers
(:mod:`.parts`: how each cell is labelled), so a label exists once.
"""

from __future__ import annotations

FORMATS = ("2019", "2021")

# table A: (block header, [(column key, printed header)], [(row key, printed label)])
A_BLOCKS: dict[str, list[tuple[str, list[tuple[str, str]], list[tuple[str, str]]]]] = {
    "2019": [
        ("第二十条第（一）项",
         [("new_made", "本年新制作数量"), ("new_published", "本年新公开数量"), ("total_published", "对外公开总数量")],
         [("regulations", "规章"), ("normative_documents", "规范性文件")]),
        ("第二十条第（五）项",
         [("previous_count", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量")],
         [("administrative_licensing", "行政许可"), ("other_external_services", "其他对外管理服务事项")]),
        ("第二十条第（六）项",
         [("previous_count", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量")],
         [("administrative_penalty", "行政处罚"), ("administrative_coercion", "行政强制")]),
        ("第二十条第（八）项",
         [("previous_count", "上一年项目数量"), ("change", "本年增/减")],
         [("administrative_fees", "行政事业性收费")]),
        ("第二十条第（九）项",
         [("projects", "采购项目数量"), ("amount", "采购总金额")],
         [("centralized_procurement", "政府集中采购")]),
    ],
    "2021": [
        ("第二十条第（一）项",
         [("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")],
         [("regulations", "规章"), ("normative_documents", "行政规范性文件")]),
        ("第二十条第（五）项",
         [("decisions", "本年处理决定数量")],
         [("administrative_licensing", "行政许可")]),
        ("第二十条第（六）项",
         [("decisions", "本年处理决定数量")],
         [("administrative_penalty", "行政处罚"), ("administrative_coercion", "行政强制")]),
        ("第二十条第（八）项",
         [("amount", "本年收费金额（单位：万元）")],
         [("administrative_fees", "行政事业性收费")]),
    ],
}

B_COLUMNS = ("natural_person", "commercial_enterprise", "research_institution", "social_organization",
              "legal_service", "other_organization", "total")
B_PARTS = B_COLUMNS[:-1]
B_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

# table B rows: (key, label cells as the national form prints them; "" is an empty label column)
_B_ROWS_HEAD = [
    ("new_received", ["一、本年新收政府信息公开申请数量"]),
    ("carried_over", ["二、上年结转政府信息公开申请数量"]),
    ("granted", ["三、本年度办理结果", "（一）予以公开"]),
    ("partially_granted", ["", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"]),
    ("withheld.state_secret", ["", "（三）不予公开", "1.属于国家秘密"]),
    ("withheld.prohibited_by_law", ["", "", "2.其他法律行政法规禁止公开"]),
    ("withheld.security_stability", ["", "", "3.危及“三安全一稳定”"]),
    ("withheld.third_party_rights", ["", "", "4.保护第三方合法权益"]),
    ("withheld.internal_affairs", ["", "", "5.属于三类内部事务信息"]),
    ("withheld.process_information", ["", "", "6.属于四类过程性信息"]),
    ("withheld.enforcement_records", ["", "", "7.属于行政执法案卷"]),
    ("withheld.query_service", ["", "", "8.属于行政查询事项"]),
    ("unable.not_held", ["", "（四）无法提供", "1.本机关不掌握相关政府信息"]),
    ("unable.needs_creation", ["", "", "2.没有现成信息需要另行制作"]),
    ("unable.unclear", ["", "", "3.补正后申请内容仍不明确"]),
    ("not_processed.complaint", ["", "（五）不予处理", "1.信访举报投诉类申请"]),
    ("not_processed.duplicate", ["", "", "2.重复申请"]),
    ("not_processed.publication", ["", "", "3.要求提供公开出版物"]),
    ("not_processed.excessive", ["", "", "4.无正当理由大量反复申请"]),
    ("not_processed.confirmation", ["", "", "5.要求行政机关确认或重新出具已获取信息"]),
]
_B_ROWS_OTHER = {
    "2019": [("other", ["", "（六）其他处理"])],
    "2021": [
        ("other.no_correction", ["", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"]),
        ("other.no_fee", ["", "", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"]),
        ("other.other", ["", "", "3.其他"]),
    ],
}
_B_ROWS_TAIL = [
    ("total", ["", "（七）总计"]),
    ("carried_forward", ["四、结转下年度继续办理"]),
]
# rows summed into （七）总计 (R2)
B_RESULT_PREFIXES = ("granted", "partially_granted", "withheld.", "unable.", "not_processed.", "other")

C_GROUPS = ("review", "litigation_direct", "litigation_after_review")
C_OUTCOMES = ("upheld", "corrected", "other", "pending", "total")
C_HEADERS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

SECTIONS = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
             "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")


def b_rows(fmt: str) -> list[tuple[str, list[str]]]:
    return _B_ROWS_HEAD + _B_ROWS_OTHER[fmt] + _B_ROWS_TAIL


# the legacy table (FORMAT.md §5): (key or None for a heading row valued ——, label, unit, note)
LEGACY_ROWS: tuple[tuple[str | None, str, str, str], ...] = (
    ("active.total", "（一）主动公开政府信息数", "条", "（不同渠道和方式公开相同信息计1条）"),
    (None, "（二）通过不同渠道和方式公开政府信息的情况", "", ""),
    ("active.gazette", "1.政府公报公开政府信息数", "条", ""),
    ("active.website", "2.政府网站公开政府信息数", "条", ""),
    ("active.weibo", "3.政务微博公开政府信息数", "条", ""),
    ("active.wechat", "4.政务微信公开政府信息数", "条", ""),
    ("active.other", "5.其他方式公开政府信息数", "条", ""),
    ("responses.hotspots", "（三）回应公众关注热点或重大舆情数", "次", "（不同方式回应同一热点或舆情计1次）"),
    (None, "（四）通过不同渠道和方式回应解读的情况", "", ""),
    ("responses.press_conferences", "1.参加或举办新闻发布会总次数", "次", ""),
    ("responses.press_conferences_principal", "其中：主要负责同志参加新闻发布会次数", "次", ""),
    ("responses.online_interviews", "2.政府网站在线访谈次数", "次", ""),
    ("responses.online_interviews_principal", "其中：主要负责同志参加政府网站在线访谈次数", "次", ""),
    ("responses.interpretations", "3.政策解读稿件发布数", "篇", ""),
    ("responses.weibo_wechat_events", "4.微博微信回应事件数", "次", ""),
)
#: the keys of the legacy table, in printed order
LEGACY_KEYS = tuple(k for k, *_ in LEGACY_ROWS if k)

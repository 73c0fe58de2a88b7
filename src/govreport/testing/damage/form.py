"""The national tables as printed, written out here from FORMAT.md's wording (not taken from the
library's template or label code, so that a damaged rendering can show where the readers go wrong).

Each table is a list of rows; each row names its cells ``(row key, column key, kind)``. ``kind`` is
what a printed value of the cell looks like: ``count`` (0, 12), ``signed`` (+3, -2, 增加3, 减少2) or
``money`` (160.5, 160.5万元).
"""

from __future__ import annotations

#: table A blocks per format: (block heading, [(column key, header, kind)], [(row key, label)])
A_BLOCKS: dict[str, list[tuple[str, list[tuple[str, str, str]], list[tuple[str, str]]]]] = {
    "2019": [
        ("第二十条第（一）项",
         [("new_made", "本年新制作数量", "count"), ("new_published", "本年新公开数量", "count"),
          ("total_published", "对外公开总数量", "count")],
         [("regulations", "规章"), ("normative_documents", "规范性文件")]),
        ("第二十条第（五）项",
         [("previous_count", "上一年项目数量", "count"), ("change", "本年增/减", "signed"),
          ("decisions", "处理决定数量", "count")],
         [("administrative_licensing", "行政许可"), ("other_external_services", "其他对外管理服务事项")]),
        ("第二十条第（六）项",
         [("previous_count", "上一年项目数量", "count"), ("change", "本年增/减", "signed"),
          ("decisions", "处理决定数量", "count")],
         [("administrative_penalty", "行政处罚"), ("administrative_coercion", "行政强制")]),
        ("第二十条第（八）项",
         [("previous_count", "上一年项目数量", "count"), ("change", "本年增/减", "signed")],
         [("administrative_fees", "行政事业性收费")]),
        ("第二十条第（九）项",
         [("projects", "采购项目数量", "count"), ("amount", "采购总金额", "money")],
         [("centralized_procurement", "政府集中采购")]),
    ],
    "2021": [
        ("第二十条第（一）项",
         [("issued", "本年制发件数", "count"), ("repealed", "本年废止件数", "count"),
          ("in_force", "现行有效件数", "count")],
         [("regulations", "规章"), ("normative_documents", "行政规范性文件")]),
        ("第二十条第（五）项", [("decisions", "本年处理决定数量", "count")], [("administrative_licensing", "行政许可")]),
        ("第二十条第（六）项", [("decisions", "本年处理决定数量", "count")],
         [("administrative_penalty", "行政处罚"), ("administrative_coercion", "行政强制")]),
        ("第二十条第（八）项", [("amount", "本年收费金额（单位：万元）", "money")], [("administrative_fees", "行政事业性收费")]),
    ],
}

B_COLUMNS = ("natural_person", "commercial_enterprise", "research_institution", "social_organization",
             "legal_service", "other_organization", "total")
B_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
B_ORG_HEADERS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")

# table B rows: (key, group label printed on the group's first row or "", item label)
_B_HEAD: list[tuple[str, str, str]] = [
    ("new_received", "", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "", "二、上年结转政府信息公开申请数量"),
    ("granted", "三、本年度办理结果", "（一）予以公开"),
    ("partially_granted", "", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("withheld.state_secret", "（三）不予公开", "1.属于国家秘密"),
    ("withheld.prohibited_by_law", "", "2.其他法律行政法规禁止公开"),
    ("withheld.security_stability", "", "3.危及“三安全一稳定”"),
    ("withheld.third_party_rights", "", "4.保护第三方合法权益"),
    ("withheld.internal_affairs", "", "5.属于三类内部事务信息"),
    ("withheld.process_information", "", "6.属于四类过程性信息"),
    ("withheld.enforcement_records", "", "7.属于行政执法案卷"),
    ("withheld.query_service", "", "8.属于行政查询事项"),
    ("unable.not_held", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("unable.needs_creation", "", "2.没有现成信息需要另行制作"),
    ("unable.unclear", "", "3.补正后申请内容仍不明确"),
    ("not_processed.complaint", "（五）不予处理", "1.信访举报投诉类申请"),
    ("not_processed.duplicate", "", "2.重复申请"),
    ("not_processed.publication", "", "3.要求提供公开出版物"),
    ("not_processed.excessive", "", "4.无正当理由大量反复申请"),
    ("not_processed.confirmation", "", "5.要求行政机关确认或重新出具已获取信息"),
]
_B_OTHER = {
    "2019": [("other", "", "（六）其他处理")],
    "2021": [
        ("other.no_correction", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ("other.no_fee", "", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ("other.other", "", "3.其他"),
    ],
}
_B_TAIL = [("total", "", "（七）总计"), ("carried_forward", "", "四、结转下年度继续办理")]
# the rows summed into （七）总计 (R2)
B_RESULT_PREFIXES = ("granted", "partially_granted", "withheld.", "unable.", "not_processed.", "other")


def b_rows(fmt: str) -> list[tuple[str, str, str]]:
    """Table B's rows of format ``fmt``: (key, group label on the group's first row, item label)."""
    return _B_HEAD + _B_OTHER[fmt] + _B_TAIL


C_GROUPS = (("review", "行政复议"), ("litigation_direct", "行政诉讼（未经复议直接起诉）"),
            ("litigation_after_review", "行政诉讼（复议后起诉）"))
C_OUTCOMES = (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"),
              ("pending", "尚未审结"), ("total", "总计"))

SECTIONS = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")

# Place names made of characters that no fixture's place name uses, so no generated body is
# mistaken for (or tuned to) a real one.
PLACE_CHARS = "东西南北中和兴华明阳山水河湖林松桃樟柳杉岭峰岗宁德丰台长乐永富民龙凤金玉宝鼎盛康泰昌隆嘉禾云溪石桥梅兰竹菊春秋景荣滨顺通达远光辉福祥瑞"
DEPARTMENTS = ("教育", "财政", "民政", "水利", "交通运输", "自然资源和规划", "卫生健康", "市场监督管理", "生态环境", "农业农村")

"""The report's tables: their exact labels (国办公开办函〔2021〕30号), their numbers, their balance.

The labels are written out here once and used by the HTML page, the
spreadsheet and the PDF alike, so the three cannot drift apart. A table's
numbers are plain integers keyed by row and column; :func:`table3_problems`
checks a stored table against the rules printed in its top-left cell and
names every cell that breaks one.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from requests_app.models import ApplicantCategory, Outcome

SECTION_TITLES = {
    1: gettext_lazy("一、总体情况"),
    2: gettext_lazy("二、主动公开政府信息情况"),
    3: gettext_lazy("三、收到和处理政府信息公开申请情况"),
    4: gettext_lazy("四、政府信息公开行政复议、行政诉讼情况"),
    5: gettext_lazy("五、存在的主要问题及改进情况"),
    6: gettext_lazy("六、其他需要报告的事项"),
}

# --- table 二 ------------------------------------------------------------------------------------

T2_ITEM_CONTENT = gettext_lazy("信息内容")
T2_DOCUMENT_BLOCK = gettext_lazy("第二十条第（一）项")
T2_DOCUMENT_COLUMNS = [
    ("issued", gettext_lazy("本年制发件数")),
    ("repealed", gettext_lazy("本年废止件数")),
    ("in_force", gettext_lazy("现行有效件数")),
]
T2_DOCUMENT_ROWS = [("regulation", gettext_lazy("规章")), ("normative", gettext_lazy("行政规范性文件"))]
T2_DECISIONS_COLUMN = gettext_lazy("本年处理决定数量")
# block, column label, [(key, row label)]
T2_FIGURE_BLOCKS = [
    (gettext_lazy("第二十条第（五）项"), T2_DECISIONS_COLUMN, [("licensing", gettext_lazy("行政许可"))]),
    (
        gettext_lazy("第二十条第（六）项"),
        T2_DECISIONS_COLUMN,
        [("penalty", gettext_lazy("行政处罚")), ("enforcement", gettext_lazy("行政强制"))],
    ),
    (
        gettext_lazy("第二十条第（八）项"),
        gettext_lazy("本年收费金额（单位：万元）"),
        [("fees_wan", gettext_lazy("行政事业性收费"))],
    ),
]

# --- table 三 ------------------------------------------------------------------------------------

T3_BALANCE_NOTE = gettext_lazy("本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和")
T3_APPLICANTS = gettext_lazy("申请人情况")
T3_LEGAL_PERSONS = gettext_lazy("法人或其他组织")
TOTAL = "total"
T3_COLUMNS = [(c.value, c.label) for c in ApplicantCategory] + [(TOTAL, gettext_lazy("总计"))]
CATEGORY_KEYS = [c.value for c in ApplicantCategory]
COLUMN_KEYS = [key for key, _label in T3_COLUMNS]


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    kind: str  # "part" (一、二、四), "heading" (三), "group", "sub", "total"
    group: str = ""

    @property
    def has_numbers(self):
        return self.kind != "heading"


def _outcome_rows():
    groups = [
        ("1", gettext_lazy("（一）予以公开"), []),
        ("2", gettext_lazy("（二）部分公开（区分处理的，只计这一情形，不计其他情形）"), []),
        (
            "3",
            gettext_lazy("（三）不予公开"),
            [
                gettext_lazy("1.属于国家秘密"),
                gettext_lazy("2.其他法律行政法规禁止公开"),
                gettext_lazy("3.危及“三安全一稳定”"),
                gettext_lazy("4.保护第三方合法权益"),
                gettext_lazy("5.属于三类内部事务信息"),
                gettext_lazy("6.属于四类过程性信息"),
                gettext_lazy("7.属于行政执法案卷"),
                gettext_lazy("8.属于行政查询事项"),
            ],
        ),
        (
            "4",
            gettext_lazy("（四）无法提供"),
            [
                gettext_lazy("1.本机关不掌握相关政府信息"),
                gettext_lazy("2.没有现成信息需要另行制作"),
                gettext_lazy("3.补正后申请内容仍不明确"),
            ],
        ),
        (
            "5",
            gettext_lazy("（五）不予处理"),
            [
                gettext_lazy("1.信访举报投诉类申请"),
                gettext_lazy("2.重复申请"),
                gettext_lazy("3.要求提供公开出版物"),
                gettext_lazy("4.无正当理由大量反复申请"),
                gettext_lazy("5.要求行政机关确认或重新出具已获取信息"),
            ],
        ),
        (
            "6",
            gettext_lazy("（六）其他处理"),
            [
                gettext_lazy("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
                gettext_lazy("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
                gettext_lazy("3.其他"),
            ],
        ),
    ]
    rows = []
    for code, label, subs in groups:
        rows.append(Row(code, label, "group"))
        rows.extend(Row(f"{code}.{n}", sub, "sub", code) for n, sub in enumerate(subs, start=1))
    return rows


T3_ROWS = [
    Row("received", gettext_lazy("一、本年新收政府信息公开申请数量"), "part"),
    Row("carried_over", gettext_lazy("二、上年结转政府信息公开申请数量"), "part"),
    Row("results", gettext_lazy("三、本年度办理结果"), "heading"),
    *_outcome_rows(),
    Row(TOTAL, gettext_lazy("（七）总计"), "total"),
    Row("carried_forward", gettext_lazy("四、结转下年度继续办理"), "part"),
]
T3_ROW = {row.key: row for row in T3_ROWS}
GROUP_KEYS = [row.key for row in T3_ROWS if row.kind == "group"]
# The rows an outcome is counted in: the deepest row (a sub-row, or a group without sub-rows).
LEAF_KEYS = [
    r.key for r in T3_ROWS if r.kind == "sub" or (r.kind == "group" and not any(s.group == r.key for s in T3_ROWS))
]
assert sorted(LEAF_KEYS) == sorted(o.value for o in Outcome), "table 三 rows and outcomes disagree"
NUMBER_ROW_KEYS = [row.key for row in T3_ROWS if row.has_numbers]


def subrows_of(group_key):
    return [row.key for row in T3_ROWS if row.group == group_key]


def empty_table3():
    return {key: {col: 0 for col in COLUMN_KEYS} for key in NUMBER_ROW_KEYS}


def build_table3(received, carried_over, concluded, carried_forward):
    """The whole table from its leaves: per-category counts of 一, 二, 四 and of each outcome row.

    ``concluded`` maps an outcome value ("3.4") to per-category counts.
    Groups, （七）总计 and the 总计 column are sums, so the table balances
    whenever every concluded or open request was received this year or carried over.
    """
    table = empty_table3()
    for key, counts in (("received", received), ("carried_over", carried_over), ("carried_forward", carried_forward)):
        for cat in CATEGORY_KEYS:
            table[key][cat] = int(counts.get(cat, 0))
    for leaf in LEAF_KEYS:
        for cat in CATEGORY_KEYS:
            table[leaf][cat] = int(concluded.get(leaf, {}).get(cat, 0))
    for group in GROUP_KEYS:
        subs = subrows_of(group)
        if subs:
            for cat in CATEGORY_KEYS:
                table[group][cat] = sum(table[s][cat] for s in subs)
    for cat in CATEGORY_KEYS:
        table[TOTAL][cat] = sum(table[g][cat] for g in GROUP_KEYS)
    for key in NUMBER_ROW_KEYS:
        table[key][TOTAL] = sum(table[key][cat] for cat in CATEGORY_KEYS)
    return table


def _label(key):
    return str(T3_ROW[key].label)


def _column_label(col):
    return str(dict(T3_COLUMNS)[col])


def _cell_problem(row_key, col, expected, actual, rule):
    return _("表三“%(row)s”行“%(col)s”列：%(rule)s应为 %(expected)s，实为 %(actual)s。") % {
        "row": _label(row_key),
        "col": _column_label(col),
        "rule": rule,
        "expected": expected,
        "actual": actual,
    }


def table3_problems(table):
    """Every broken rule of a stored table 三, each naming its cell; empty when it balances."""
    problems = []
    if not isinstance(table, dict):
        return [_("表三数据缺失，请重新生成统计数据。")]
    values = {}
    for key in NUMBER_ROW_KEYS:
        row = table.get(key) if isinstance(table.get(key), dict) else {}
        for col in COLUMN_KEYS:
            value = row.get(col)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                problems.append(
                    _("表三“%(row)s”行“%(col)s”列：应为非负整数，实为“%(value)s”。")
                    % {"row": _label(key), "col": _column_label(col), "value": value}
                )
                value = 0
            values[(key, col)] = value
    for key in NUMBER_ROW_KEYS:
        expected = sum(values[(key, cat)] for cat in CATEGORY_KEYS)
        if values[(key, TOTAL)] != expected:
            problems.append(_cell_problem(key, TOTAL, expected, values[(key, TOTAL)], _("各类申请人之和")))
    for col in COLUMN_KEYS:
        for group in GROUP_KEYS:
            subs = subrows_of(group)
            if subs:
                expected = sum(values[(s, col)] for s in subs)
                if values[(group, col)] != expected:
                    problems.append(_cell_problem(group, col, expected, values[(group, col)], _("各分项之和")))
        expected = sum(values[(g, col)] for g in GROUP_KEYS)
        if values[(TOTAL, col)] != expected:
            problems.append(_cell_problem(TOTAL, col, expected, values[(TOTAL, col)], _("（一）至（六）之和")))
        left = values[("received", col)] + values[("carried_over", col)]
        right = values[(TOTAL, col)] + values[("carried_forward", col)]
        if left != right:
            problems.append(
                _("表三“%(col)s”列不平衡：第一项加第二项之和为 %(left)d，第三项（七）总计加第四项之和为 %(right)d。")
                % {"col": _column_label(col), "left": left, "right": right}
            )
    return problems


# --- table 四 ------------------------------------------------------------------------------------

T4_RECONSIDERATION = gettext_lazy("行政复议")
T4_LITIGATION = gettext_lazy("行政诉讼")
T4_GROUPS = [
    ("reconsideration", gettext_lazy("行政复议")),
    ("litigation_direct", gettext_lazy("未经复议直接起诉")),
    ("litigation_after", gettext_lazy("复议后起诉")),
]
T4_COLUMNS = [
    ("upheld", gettext_lazy("结果维持")),
    ("corrected", gettext_lazy("结果纠正")),
    ("other", gettext_lazy("其他结果")),
    ("pending", gettext_lazy("尚未审结")),
    (TOTAL, gettext_lazy("总计")),
]
T4_RESULT_KEYS = ["upheld", "corrected", "other", "pending"]


def empty_table4():
    return {group: {col: 0 for col, _l in T4_COLUMNS} for group, _g in T4_GROUPS}


def t4_group_label(group):
    if group == "reconsideration":
        return str(T4_RECONSIDERATION)
    return f"{T4_LITIGATION}（{dict(T4_GROUPS)[group]}）"


def table4_problems(table):
    problems = []
    if not isinstance(table, dict):
        return [_("表四数据缺失，请重新生成统计数据。")]
    for group, _g in T4_GROUPS:
        row = table.get(group) if isinstance(table.get(group), dict) else {}
        for col, col_label in T4_COLUMNS:
            value = row.get(col)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                problems.append(
                    _("表四“%(group)s”“%(col)s”：应为非负整数，实为“%(value)s”。")
                    % {"group": t4_group_label(group), "col": col_label, "value": value}
                )
        try:
            expected = sum(int(row.get(k, 0)) for k in T4_RESULT_KEYS)
        except (TypeError, ValueError):
            continue
        if row.get(TOTAL) != expected:
            problems.append(
                _("表四“%(group)s”“总计”：应为各项结果之和 %(expected)d，实为 %(actual)s。")
                % {"group": t4_group_label(group), "expected": expected, "actual": row.get(TOTAL)}
            )
    return problems


# --- table 二 checks ------------------------------------------------------------------------------


def table2_problems(table):
    problems = []
    if not isinstance(table, dict):
        return [_("表二数据缺失，请重新生成统计数据。")]
    for key, row_label in T2_DOCUMENT_ROWS:
        row = table.get(key) if isinstance(table.get(key), dict) else {}
        for col, col_label in T2_DOCUMENT_COLUMNS:
            value = row.get(col)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                problems.append(
                    _("表二“%(row)s”“%(col)s”：应为非负整数，实为“%(value)s”。")
                    % {"row": row_label, "col": col_label, "value": value}
                )
    for _block, col_label, rows in T2_FIGURE_BLOCKS:
        for key, row_label in rows:
            value = table.get(key)
            if key == "fees_wan":
                try:
                    ok = Decimal(str(value)) >= 0
                except (InvalidOperation, ValueError):
                    ok = False
            else:
                ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
            if not ok:
                problems.append(
                    _("表二“%(row)s”“%(col)s”：应为非负数，实为“%(value)s”。")
                    % {"row": row_label, "col": col_label, "value": value}
                )
    return problems


def problems(data):
    """Every reason a report's stored numbers cannot be published."""
    if not isinstance(data, dict) or not data:
        return [_("尚未生成统计数据。")]
    return (
        table2_problems(data.get("table2")) + table3_problems(data.get("table3")) + table4_problems(data.get("table4"))
    )


def format_wan(value):
    """万元 as offices print it: no trailing zeros, at least "0"."""
    amount = Decimal(str(value or 0))
    # Six places of 万元 are the fen: published reports print e.g. 5949.088667.
    text = format(amount.quantize(Decimal("0.000001")).normalize(), "f")
    return text if text not in ("-0", "") else "0"

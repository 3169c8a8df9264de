"""Generated first drafts of sections 一 and 六 from the report's numbers.

Offices rewrite these; the draft only makes sure the prose starts from the
same numbers as the tables, so the two never contradict each other.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from .models import ReportScope
from .tables import TOTAL


def _scope_phrase(report, data):
    if report.scope == ReportScope.SUBTREE:
        return _("%(org)s（含所属部门和乡镇（街道），共%(n)d个机构）") % {
            "org": report.organization.name,
            "n": data.get("organizations") or 1,
        }
    return report.organization.name


def overview(report, data):
    t2, t3, t4 = data["table2"], data["table3"], data["table4"]
    total = {key: t3[key][TOTAL] for key in ("received", "carried_over", TOTAL, "carried_forward")}
    groups = [
        (_("予以公开"), "1"),
        (_("部分公开"), "2"),
        (_("不予公开"), "3"),
        (_("无法提供"), "4"),
        (_("不予处理"), "5"),
        (_("其他处理"), "6"),
    ]
    outcome_text = "、".join(f"{label}{t3[key][TOTAL]}件" for label, key in groups if t3[key][TOTAL])
    natural = t3["received"]["natural"]
    parts = [
        _(
            "%(year)d年，%(scope)s认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
            "依法做好政府信息公开工作。现将本年度政府信息公开工作情况报告如下。"
        )
        % {"year": report.year, "scope": _scope_phrase(report, data)},
        _(
            "（一）主动公开。本年度制发规章%(reg)d件、行政规范性文件%(norm)d件，废止规章%(reg_rep)d件、"
            "行政规范性文件%(norm_rep)d件；截至年底现行有效的规章%(reg_valid)d件、行政规范性文件%(norm_valid)d件。"
        )
        % {
            "reg": t2["regulation"]["issued"],
            "norm": t2["normative"]["issued"],
            "reg_rep": t2["regulation"]["repealed"],
            "norm_rep": t2["normative"]["repealed"],
            "reg_valid": t2["regulation"]["in_force"],
            "norm_valid": t2["normative"]["in_force"],
        },
        _(
            "（二）依申请公开。本年度新收政府信息公开申请%(received)d件（其中自然人%(natural)d件，法人或其他组织"
            "%(legal)d件），上年结转%(carried)d件；本年度办结%(done)d件%(outcomes)s；结转下年度继续办理%(forward)d件。"
        )
        % {
            "received": total["received"],
            "natural": natural,
            "legal": total["received"] - natural,
            "carried": total["carried_over"],
            "done": total[TOTAL],
            "outcomes": f"（{outcome_text}）" if outcome_text else "",
            "forward": total["carried_forward"],
        },
        _("（三）行政复议和行政诉讼。本年度因政府信息公开被申请行政复议%(recon)d件，被提起行政诉讼%(lit)d件。")
        % {
            "recon": t4["reconsideration"][TOTAL],
            "lit": t4["litigation_direct"][TOTAL] + t4["litigation_after"][TOTAL],
        },
    ]
    return "\n\n".join(parts)


def other_matters(report, data):
    fees = data["fees"]
    amount = Decimal(fees["amount"])
    if fees["paid"]:
        text = _(
            "本年度依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）发出收费通知%(notices)d件，"
            "实际收取信息处理费%(paid)d件，共计%(amount)s元。"
        ) % {"notices": fees["notices"], "paid": fees["paid"], "amount": f"{amount:.2f}"}
    elif fees["notices"]:
        text = _(
            "本年度依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）发出收费通知%(notices)d件，"
            "未实际收取信息处理费。"
        ) % {"notices": fees["notices"]}
    else:
        text = _("本年度未收取信息处理费。")
    return text + "\n\n" + _("本年度无其他需要报告的事项。")

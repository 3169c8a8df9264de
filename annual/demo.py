"""The demo county's 2025 annual reports, for ``make run`` (everything invented).

Runs after the requests demo, which leaves only two applications in 2025; so
this adds a dozen fictitious 2025 applications across four organisations
(through the requests services, with the dates each step happened), two
2025 normative documents, the hand-entered table 二 figures and two
reconsideration/litigation cases. Then the county government's report for
its whole subtree and the civil affairs bureau's own report are generated,
checked and published; the land bureau's stays a draft, so the staff page
shows organisations that still owe theirs. Running it again changes nothing.
"""

import datetime as dt

from django.contrib.auth.models import Group

from catalog.models import CatalogEntry
from portal import codes
from portal.demo import demo_code
from portal.models import Organization, Role, User

D = dt.date
YEAR = 2025

PEOPLE = [
    # name, category, id type, id body
    ("钱示例", "natural", "resident_id", "99010119780202011"),
    ("孙演示", "natural", "resident_id", "99010119880808012"),
    ("示范县某某建材有限公司", "business", "uscc", "E9000011"),
    ("示范县法律援助示例事务所", "legal_service", "uscc", "E9000012"),
    ("示范县乡村发展研究会（示例）", "research", "uscc", "E9000013"),
    ("示范县志愿服务协会（示例）", "public_interest", "uscc", "E9000014"),
]


def _applicant(index, description):
    name, category, id_type, body = PEOPLE[index]
    number = (
        codes.make_resident_id(body)
        if id_type == "resident_id"
        else codes.make_uscc("51990101" + codes.make_org_code(body))
    )
    return {
        "applicant_category": category,
        "applicant_name": name,
        "id_type": id_type,
        "id_number": number,
        "phone": f"0000556{index:04d}",
        "address": f"示范县示范路{index + 20}号（虚构地址）",
        "postcode": "999001",
        "contact_person": "" if category == "natural" else "联系人（示例）",
        "description": description,
        "form_wanted": "electronic",
        "delivery_method": "online",
    }


def _officer(username, org, full_name):
    user, created = User.objects.get_or_create(
        username=username, defaults={"organization": org, "full_name": full_name, "is_staff": True}
    )
    if created:
        user.set_password(None)
        user.save()
        user.groups.add(Group.objects.get(name=Role.REQUEST_OFFICER.value))
    return user


def _requests(orgs, officers):
    """Fictitious 2025 applications, each with the steps it went through; skipped when already there."""
    from requests_app import services
    from requests_app.models import Outcome, PauseReason, Request

    made = 0

    def new(n, org_key, person, receipt, description):
        nonlocal made
        number = f"YS{900 + n:010d}"
        if Request.objects.filter(tracking_number=number).exists():
            return None
        req, _code = services.intake(
            officers[org_key],
            orgs[org_key],
            channel="in_person",
            receipt_date=receipt,
            **_applicant(person, description),
        )
        Request.objects.filter(pk=req.pk).update(tracking_number=number)
        req.refresh_from_db()
        made += 1
        return req

    def reply(org_key, req, outcome, on, basis="《中华人民共和国政府信息公开条例》第三十六条", accept=True):
        officer = officers[org_key]
        services.begin_review(officer, req)
        if accept:
            services.accept(officer, req, handler=officer)
        services.reply(officer, req, outcome=outcome, on=on, decision="依法作出答复（示例）。", legal_basis=basis)

    req = new(1, "civil", 0, D(2024, 12, 23), "2024年第四季度特困人员救助供养资金发放情况（示例）")
    if req:
        reply("civil", req, Outcome.DISCLOSED, D(2025, 1, 13))
    req = new(2, "civil", 0, D(2025, 2, 17), "2025年城乡低保标准调整文件（示例）")
    if req:
        reply("civil", req, Outcome.DISCLOSED, D(2025, 3, 5))
    req = new(3, "civil", 2, D(2025, 3, 10), "2025年养老服务设施建设补助资金分配明细（示例）")
    if req:
        reply("civil", req, Outcome.PARTIAL, D(2025, 3, 28), basis="《中华人民共和国政府信息公开条例》第三十七条")
    req = new(4, "chengguan", 1, D(2025, 4, 7), "城关镇某小区2010年规划审批档案（示例）")
    if req:
        reply(
            "chengguan",
            req,
            Outcome.UNAVAILABLE_NOT_HELD,
            D(2025, 4, 15),
            accept=False,
            basis="《中华人民共和国政府信息公开条例》第三十六条第（五）项",
        )
    req = new(5, "land", 3, D(2025, 5, 12), "某企业用地申请材料中的财务报表（示例）")
    if req:
        officer = officers["land"]
        services.begin_review(officer, req)
        services.accept(officer, req, handler=officer)
        services.start_consultation(
            officer, req, reason=PauseReason.THIRD_PARTY, party="示范县某某企业（示例）", on=D(2025, 5, 14)
        )
        services.end_consultation(officer, req, on=D(2025, 5, 30), note="第三方书面反对公开并说明理由（示例）")
        services.reply(
            officer,
            req,
            outcome=Outcome.WITHHELD_THIRD_PARTY,
            on=D(2025, 6, 6),
            decision="经征求第三方意见，该信息涉及商业秘密，不予公开（示例）。",
            legal_basis="《中华人民共和国政府信息公开条例》第十五条、第三十二条",
        )
    req = new(6, "county", 1, D(2025, 6, 16), "反映邻里纠纷并要求处理（示例）")
    if req:
        reply(
            "county",
            req,
            Outcome.NOT_HANDLED_PETITION,
            D(2025, 6, 20),
            accept=False,
            basis="《中华人民共和国政府信息公开条例》第三十九条",
        )
    req = new(7, "civil", 1, D(2025, 7, 7), "有关文件（描述不清的示例）")
    if req:
        officer = officers["civil"]
        services.begin_review(officer, req)
        services.request_supplement(
            officer, req, on=D(2025, 7, 9), items="请写明所需文件的名称、文号或其他特征描述。", deadline=D(2025, 7, 30)
        )
        services.close_unsupplemented(None, req, on=D(2025, 8, 4))
    req = new(8, "land", 4, D(2025, 8, 4), "2015年至2024年全县土地出让合同全部复印件（示例）")
    if req:
        officer = officers["land"]
        services.begin_review(officer, req)
        services.accept(officer, req, handler=officer)
        services.issue_fee_notice(officer, req, basis="per_volume", pages=60, on=D(2025, 8, 6))
        services.record_fee_payment(officer, req, on=D(2025, 8, 12))
        services.reply(
            officer,
            req,
            outcome=Outcome.DISCLOSED,
            on=D(2025, 8, 29),
            decision="您申请的信息予以公开，复印件已邮寄（示例）。",
        )
    req = new(9, "civil", 0, D(2025, 9, 8), "敬老院入住条件（示例）")
    if req:
        services.withdraw(req, on=D(2025, 9, 10), reason="已在网站上找到（示例）")
    req = new(10, "chengguan", 5, D(2025, 10, 13), "城关镇2026年老旧小区改造计划讨论稿（示例）")
    if req:
        reply(
            "chengguan",
            req,
            Outcome.WITHHELD_PROCESS,
            D(2025, 10, 30),
            basis="《中华人民共和国政府信息公开条例》第十六条第二款",
        )
    req = new(11, "county", 2, D(2025, 11, 17), "县政府2025年第三季度常务会议纪要（重复申请的示例）")
    if req:
        reply(
            "county",
            req,
            Outcome.NOT_HANDLED_REPEAT,
            D(2025, 11, 20),
            accept=False,
            basis="《中华人民共和国政府信息公开条例》第三十六条第（六）项",
        )
    req = new(12, "land", 0, D(2025, 12, 24), "河西乡柳树村2025年征地补偿款发放情况（示例）")
    if req:
        reply("land", req, Outcome.DISCLOSED, D(2026, 1, 12))
    return made


def _documents(orgs):
    """Two 2025 normative documents and one repealed in 2025, brought in as already published."""
    from django.utils import timezone

    from disclosure import services
    from disclosure.models import DisclosureItem, DocumentType, Validity

    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return
    domain = CatalogEntry.objects.filter(parent__isnull=True, name="社会救助").first()
    entry = domain.get_descendants().filter(children__isnull=True).first() if domain else None
    docs = [
        (
            "county",
            "示范县人民政府关于印发《示范县政府信息公开工作规范（示例）》的通知",
            "示政发〔2025〕5号",
            D(2025, 4, 10),
            D(2025, 4, 15),
            None,
        ),
        (
            "civil",
            "示范县民政局关于调整2025年城乡最低生活保障标准的通知（示例）",
            "示民发〔2025〕8号",
            D(2025, 6, 20),
            D(2025, 6, 23),
            None,
        ),
        (
            "civil",
            "示范县临时救助实施细则（2022年版，示例）",
            "示民发〔2022〕4号",
            D(2022, 3, 1),
            D(2022, 3, 3),
            D(2025, 9, 1),
        ),
    ]
    existing = set(DisclosureItem.objects.values_list("title", flat=True))
    rules_title = docs[0][1]  # the county's disclosure rules: listed in the 制度 sub-column
    # A demo loaded before the 制度 mark existed gets it now (nothing else changes).
    DisclosureItem.objects.filter(title=rules_title, disclosure_rule=False).update(disclosure_rule=True)
    for key, title, number, written, published, repealed in docs:
        if title in existing:
            continue
        item = DisclosureItem(
            organization=orgs[key],
            title=title,
            document_number=number,
            written_on=written,
            document_type=DocumentType.NORMATIVE,
            body="<p>正文略（示例）。</p>",
            disclosure_rule=title == rules_title,
            published_at=timezone.make_aware(dt.datetime.combine(published, dt.time(9, 0))),
        )
        item = services.import_published(admin, item, catalog_entries=[entry] if entry else [])
        if repealed:
            services.change_validity(admin, item, Validity.REPEALED, on_date=repealed, note="已被新细则取代（示例）")


def _figures_and_cases(orgs):
    from requests_app.models import Request

    from .models import CaseKind, CaseResult, ProactiveFigures, ReviewCase

    figures = {
        "county": (36, 0, 0, "0"),
        "civil": (128, 3, 0, "0"),
        "land": (214, 17, 2, "12.6"),
        "finance": (0, 5, 0, "3.85"),
        "chengguan": (42, 9, 1, "0"),
        "hexi": (17, 4, 0, "0"),
    }
    for key, (licensing, penalty, enforcement, fees) in figures.items():
        if key in orgs:
            ProactiveFigures.objects.get_or_create(
                organization=orgs[key],
                year=YEAR,
                defaults={
                    "licensing_decisions": licensing,
                    "penalty_decisions": penalty,
                    "enforcement_decisions": enforcement,
                    "fees_amount": fees,
                    "source_note": "示例数据，非真实统计",
                },
            )
    withheld = Request.objects.filter(tracking_number=f"YS{905:010d}").first()
    petition = Request.objects.filter(tracking_number=f"YS{906:010d}").first()
    cases = [
        (
            "（示例）示府复〔2025〕3号",
            orgs["land"],
            CaseKind.RECONSIDERATION,
            D(2025, 7, 1),
            CaseResult.UPHELD,
            D(2025, 8, 29),
            withheld,
            "申请人对不予公开答复不服申请行政复议（示例）",
        ),
        (
            "（示例）（2025）示0101行初18号",
            orgs["county"],
            CaseKind.LITIGATION_DIRECT,
            D(2025, 12, 1),
            CaseResult.PENDING,
            None,
            petition,
            "申请人对不予处理答复不服提起行政诉讼（示例）",
        ),
    ]
    for number, org, kind, filed, result, concluded, req, summary in cases:
        ReviewCase.objects.get_or_create(
            case_number=number,
            defaults={
                "organization": org,
                "kind": kind,
                "filed_on": filed,
                "result": result,
                "concluded_on": concluded,
                "request": req,
                "summary": summary,
            },
        )


PROBLEMS = (
    "一是部分单位依申请公开答复说理不够充分；二是个别领域主动公开信息更新不够及时。"
    "下一步，将加强业务培训，严格落实答复文书审核制度，定期检查各领域信息更新情况。（示例）"
)


def _publish(report, preparer, publisher, published_on):
    """Through the services; then dated the day it would have gone out, within its deadline."""
    from django.utils import timezone

    from . import services
    from .models import AnnualReport, ReportState

    if report.state == ReportState.PUBLISHED:
        return report
    if report.state == ReportState.DRAFT:
        services.update_text(preparer, report, problems=PROBLEMS)
        services.submit(preparer, report)
    report = services.publish(publisher, report)
    AnnualReport.objects.filter(pk=report.pk).update(
        published_at=timezone.make_aware(dt.datetime.combine(published_on, dt.time(10, 0)))
    )
    return report


def load(stdout):
    from requests_app.models import Request

    from . import services
    from .models import AnnualReport, ReportScope

    keys = {
        "county": "D0000001",
        "civil": "D0000002",
        "finance": "D0000003",
        "land": "D0000004",
        "chengguan": "D0000005",
        "hexi": "D0000006",
    }
    orgs = {}
    for key, body in keys.items():
        org = Organization.objects.filter(code=demo_code(body)).first()
        if org is not None:
            orgs[key] = org
    needed = {"county", "civil", "land", "chengguan"}
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["officer", "civil_officer", "cg_officer", "gk_admin", "clerk", "reviewer"]
        )
    }
    if not needed <= set(orgs) or len(users) < 6 or not Request.objects.exists():
        stdout.write("年报演示：没有示范县或其申请，跳过")
        return None
    officers = {
        "county": users["officer"],
        "civil": users["civil_officer"],
        "chengguan": users["cg_officer"],
        "land": User.objects.filter(username="land_officer").first()
        or _officer("land_officer", orgs["land"], "自然资源办理人"),
    }
    made = _requests(orgs, officers)
    _documents(orgs)
    _figures_and_cases(orgs)

    county_report = AnnualReport.objects.filter(
        organization=orgs["county"], year=YEAR, scope=ReportScope.SUBTREE
    ).first()
    if county_report is None:
        county_report = services.generate(users["gk_admin"], orgs["county"], YEAR, ReportScope.SUBTREE)
    _publish(county_report, users["gk_admin"], users["gk_admin"], D(YEAR + 1, 3, 20))
    civil_report = AnnualReport.objects.filter(
        organization=orgs["civil"], year=YEAR, scope=ReportScope.ORGANIZATION
    ).first()
    if civil_report is None:
        civil_report = services.generate(users["clerk"], orgs["civil"], YEAR)
    _publish(civil_report, users["clerk"], users["reviewer"], D(YEAR + 1, 1, 26))
    if not AnnualReport.objects.filter(organization=orgs["land"], year=YEAR).exists():
        services.generate(users["gk_admin"], orgs["land"], YEAR)
    stdout.write(
        f"年报演示：新增 2025 年申请 {made} 件；示范县（含下级）和县民政局的 2025 年年报已发布，县自然资源局的为草稿"
    )
    return None

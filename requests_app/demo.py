"""Demo information requests in every state, for ``make run`` (all applicants invented).

Open requests are placed relative to today (so one is always overdue, one
paused for a third party, one extended); concluded ones sit in late 2025 and
2026 so the annual report has both years and a carried-over request. Every
step goes through the services, with the dates it happened on.

Each demo request has a fixed tracking number ``YS00000000NN`` and the query
code ``DEMO-CODE-0000-00NN``, printed by ``load_demo``, to try the status page.
Running this again changes nothing.
"""

import datetime as dt

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from portal import codes
from portal.demo import demo_code
from portal.models import Organization, Role, User
from portal.workdays import WorkingCalendar

from . import access, clock, services
from .models import (
    ApplicantCategory,
    Channel,
    DeliveryMethod,
    FeeBasis,
    FormWanted,
    IdType,
    NoticeDelivery,
    Outcome,
    PauseReason,
    Request,
    RequestSettings,
)

USERS = [
    # username, password, organisation code body, role, name, description
    ("civil_officer", "demo-civiloff-2026", "D0000002", Role.REQUEST_OFFICER, "民政办理人", "办理人 · 县民政局"),
    ("cg_officer", "demo-cgoff-2026", "D0000005", Role.REQUEST_OFFICER, "城关办理人", "办理人 · 城关镇"),
]

PEOPLE = [
    # name, category, id type, id body (17 digits for resident IDs, org-code body for USCC)
    ("张示例", ApplicantCategory.NATURAL_PERSON, IdType.RESIDENT_ID, "99010119800101001"),
    ("李演示", ApplicantCategory.NATURAL_PERSON, IdType.RESIDENT_ID, "99010119851212002"),
    ("王样本", ApplicantCategory.NATURAL_PERSON, IdType.RESIDENT_ID, "99010119920315003"),
    ("示范县某某商贸有限公司", ApplicantCategory.BUSINESS, IdType.USCC, "E9000001"),
    ("示范律师事务所（示例）", ApplicantCategory.LEGAL_SERVICE, IdType.USCC, "E9000002"),
    ("示范环境研究所（示例）", ApplicantCategory.RESEARCH, IdType.USCC, "E9000003"),
    ("赵虚构", ApplicantCategory.NATURAL_PERSON, IdType.PASSPORT, "X00000001"),
]


def demo_query_code(n):
    return f"DEMO-CODE-0000-{n:04d}"


def _person(index):
    name, category, id_type, body = PEOPLE[index % len(PEOPLE)]
    if id_type == IdType.RESIDENT_ID:
        number = codes.make_resident_id(body)
    elif id_type == IdType.USCC:
        number = codes.make_uscc("91990101" + codes.make_org_code(body))
    else:
        number = body
    return {
        "applicant_category": category,
        "applicant_name": name,
        "id_type": id_type,
        "id_number": number,
        "phone": f"0000555{index:04d}",
        "address": f"示范县示范路{index + 1}号（虚构地址）",
        "postcode": "999001",
        "contact_person": "联系人（示例）" if category != ApplicantCategory.NATURAL_PERSON else "",
    }


def _users(orgs):
    logins = []
    for username, password, body, role, full_name, description in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "organization": orgs[body],
                "full_name": full_name,
                "is_staff": True,
                "email": f"{username}@example.invalid",
            },
        )
        if created:
            user.set_password(password)
            user.save()
        user.groups.add(Group.objects.get(name=role.value))
        logins.append((username, password, description))
    return logins


def load(stdout):
    orgs = {}
    for body in ("D0000001", "D0000002", "D0000004", "D0000005"):
        org = Organization.objects.filter(code=demo_code(body)).first()
        if org is None:
            stdout.write("requests demo: demo county missing, skipped")
            return None
        orgs[body] = org
    county, civil, land, chengguan = (orgs[b] for b in ("D0000001", "D0000002", "D0000004", "D0000005"))
    logins = _users(orgs)
    RequestSettings.objects.get_or_create(
        organization=land,
        defaults={
            "charge_fees": True,
            "document_prefix": "示自然资依申",
            "reconsideration_body": "示范县人民政府",
            "court": "示范县人民法院",
        },
    )
    RequestSettings.objects.get_or_create(
        organization=civil,
        defaults={"document_prefix": "示民依申", "reconsideration_body": "示范县人民政府", "court": "示范县人民法院"},
    )
    officer = User.objects.get(username="civil_officer")
    reviewer = User.objects.get(username="reviewer")
    cg_officer = User.objects.get(username="cg_officer")
    county_officer = User.objects.get(username="officer")
    land_officer, _created = User.objects.get_or_create(
        username="land_officer",
        defaults={"organization": land, "full_name": "自然资源办理人", "is_staff": True, "is_active": True},
    )
    if _created:
        land_officer.set_password("demo-landoff-2026")
        land_officer.save()
    land_officer.groups.add(Group.objects.get(name=Role.REQUEST_OFFICER.value))
    logins.append(("land_officer", "demo-landoff-2026", "办理人 · 县自然资源局（开启收费）"))

    cal = WorkingCalendar()
    today = clock.today()

    def back(n):
        return cal.add_working_days(today, -n)

    made = 0
    created = []

    def new(n, org, actor, *, receipt, channel=Channel.IN_PERSON, person=0, description, delivery=None):
        """Create demo request n (idempotent: skipped when its tracking number exists)."""
        nonlocal made
        number = f"YS{n:010d}"
        if Request.objects.filter(tracking_number=number).exists() or (receipt and receipt > today):
            return None
        data = _person(person)
        data.update(
            description=description,
            form_wanted=FormWanted.ELECTRONIC,
            delivery_method=delivery or DeliveryMethod.ONLINE,
        )
        if channel == Channel.ONLINE and receipt is None:
            req, _code = services.submit_online(organization=org, **data)
        else:
            req, _code = services.intake(actor, org, channel=channel, receipt_date=receipt, **data)
        Request.objects.filter(pk=req.pk).update(
            tracking_number=number, query_code_hash=access.hash_query_code(demo_query_code(n))
        )
        req.refresh_from_db()
        created.append((n, person))
        made += 1
        return req

    # Concluded requests first, so registration numbers follow the receipt dates.
    # 11 late 2025, replied (disclosed) and archived
    req = new(
        11,
        civil,
        officer,
        receipt=dt.date(2025, 11, 10),
        person=0,
        description="2025年第三季度低保资金发放情况（示例）",
    )
    if req:
        services.begin_review(officer, req)
        services.accept(officer, req, handler=officer)
        services.reply(
            officer,
            req,
            outcome=Outcome.DISCLOSED,
            on=dt.date(2025, 12, 1),
            decision="您申请的信息予以公开，见附件。",
            files=[
                ContentFile(
                    "示例公开信息：2025年第三季度低保资金发放情况（虚构数据）".encode(),
                    name="2025年第三季度低保资金发放情况.txt",
                )
            ],
        )
        services.archive(officer, req, on=dt.date(2025, 12, 10))
    # 12 received December 2025, replied January 2026 (carried over into 2026)
    req = new(
        12,
        county,
        county_officer,
        receipt=dt.date(2025, 12, 22),
        channel=Channel.POST,
        person=1,
        description="县政府2025年第四季度常务会议纪要（示例）",
        delivery=DeliveryMethod.POST,
    )
    if req:
        services.begin_review(county_officer, req)
        services.accept(county_officer, req, handler=county_officer)
        services.reply(
            county_officer,
            req,
            outcome=Outcome.WITHHELD_PROCESS,
            on=dt.date(2026, 1, 16),
            decision="您申请的会议纪要属于内部讨论、研究过程中形成的过程性信息，不予公开。",
            legal_basis="《中华人民共和国政府信息公开条例》第十六条第二款",
        )
    # 13 not supplemented in time (其他处理 1)
    req = new(13, civil, officer, receipt=dt.date(2026, 3, 2), person=2, description="那个文件（示例）")
    if req:
        services.begin_review(officer, req)
        services.request_supplement(officer, req, on=dt.date(2026, 3, 4), items="请写明所需信息的名称或文号。")
        services.close_unsupplemented(None, req, on=dt.date(2026, 3, 30))
    # 14 withdrawn by the applicant (counted under 其他处理 3)
    req = new(14, civil, officer, receipt=dt.date(2026, 5, 11), person=6, description="本县敬老院名单（示例）")
    if req:
        services.withdraw(req, on=dt.date(2026, 5, 13))
    # 15 not held by this agency, in a township
    req = new(
        15,
        chengguan,
        cg_officer,
        receipt=dt.date(2026, 6, 15),
        person=0,
        description="城关镇2026年老旧小区改造资金审计报告（示例）",
    )
    if req:
        services.begin_review(cg_officer, req)
        services.reply(
            cg_officer,
            req,
            outcome=Outcome.UNAVAILABLE_NOT_HELD,
            on=dt.date(2026, 6, 19),
            decision="经检索，本机关未制作或获取该信息。该信息可能由示范县审计局掌握，您可向其申请。",
            legal_basis="《中华人民共和国政府信息公开条例》第三十六条第（四）项",
        )
    # 16 partly disclosed after a third-party consultation; notice delivered by post
    req = new(
        16,
        civil,
        officer,
        receipt=dt.date(2026, 8, 3),
        person=4,
        delivery=DeliveryMethod.POST,
        description="2026年度养老服务补贴发放名单（示例）",
    )
    if req:
        services.begin_review(officer, req)
        services.accept(officer, req, handler=officer)
        services.start_consultation(
            officer, req, reason=PauseReason.THIRD_PARTY, party="补贴对象代表（示例）", on=dt.date(2026, 8, 5)
        )
        services.end_consultation(officer, req, on=dt.date(2026, 8, 20))
        services.reply(
            officer,
            req,
            outcome=Outcome.PARTIAL,
            on=dt.date(2026, 9, 1),
            decision="名单中的身份证号码、住址等个人信息已作区分处理，其余内容予以公开。",
            legal_basis="《中华人民共和国政府信息公开条例》第十五条、第三十七条",
        )
        for notice in req.notices.filter(delivered_at__isnull=True):
            services.deliver_notice(
                officer,
                notice,
                method=NoticeDelivery.POST,
                note="挂号信（示例单号）",
                delivered_at=timezone.make_aware(
                    dt.datetime.combine(notice.issued_on + dt.timedelta(days=2), dt.time(10))
                ),
            )

    # 1 received online, waiting for the office to confirm
    new(
        1,
        civil,
        None,
        receipt=None,
        channel=Channel.ONLINE,
        person=0,
        description="2026年度本县城乡居民最低生活保障资金发放情况（示例）",
    )
    # 2 registered
    new(2, civil, officer, receipt=back(1), person=1, description="本县养老机构名单及床位数（示例）")
    # 3 under review
    req = new(
        3,
        civil,
        officer,
        receipt=back(2),
        channel=Channel.POST,
        person=2,
        description="示范县2025年社会救助专项检查报告（示例）",
        delivery=DeliveryMethod.POST,
    )
    if req:
        services.begin_review(officer, req)
    # 4 waiting for a supplement
    req = new(4, civil, officer, receipt=back(5), person=3, description="关于某项目的文件（描述不清的示例）")
    if req:
        services.begin_review(officer, req)
        services.request_supplement(
            officer, req, on=back(3), items="1. 请写明所需文件的名称或文号；\n2. 请说明所需信息的大致形成时间。"
        )
    # 5 in handling, on track
    req = new(5, civil, officer, receipt=back(3), person=4, description="本县殡葬服务收费标准的制定依据（示例）")
    if req:
        services.begin_review(officer, req)
        services.accept(officer, req, handler=officer)
    # 6 in handling, due within 5 working days
    req = new(6, civil, officer, receipt=back(17), person=5, description="特困人员供养标准调整文件（示例）")
    if req:
        services.begin_review(officer, req)
        services.accept(officer, req, handler=officer)
    # 7 overdue
    req = new(7, civil, officer, receipt=back(25), person=6, description="临时救助审批台账（示例，已超期）")
    if req:
        services.begin_review(officer, req)
        services.accept(officer, req, handler=officer)
    # 8 paused: third-party consultation
    req = new(
        8,
        civil,
        officer,
        receipt=back(10),
        person=3,
        description="某养老服务企业的运营补贴申报材料（涉及第三方的示例）",
    )
    if req:
        services.begin_review(officer, req)
        services.accept(officer, req, handler=officer)
        services.start_consultation(
            officer, req, reason=PauseReason.THIRD_PARTY, party="示范县某养老服务有限公司（示例）", on=back(4)
        )
    # 9 extended
    req = new(
        9, civil, officer, receipt=back(19), person=4, description="近三年全县社会组织年检结果汇总（数量较大的示例）"
    )
    if req:
        services.begin_review(officer, req)
        services.accept(officer, req, handler=officer)
        services.request_extension(
            officer, req, days=15, reason="所需信息涉及多个年度、数量较大，需要汇总整理", on=back(2)
        )
        services.approve_extension(reviewer, req, on=back(1))
    # 10 paused: waiting for the fee (land bureau charges)
    req = new(
        10,
        land,
        land_officer,
        receipt=back(6),
        person=5,
        description="全县2025年度土地供应结果全部档案复印件（约120页，示例）",
        delivery=DeliveryMethod.POST,
    )
    if req:
        services.begin_review(land_officer, req)
        services.accept(land_officer, req, handler=land_officer)
        services.issue_fee_notice(land_officer, req, basis=FeeBasis.PER_VOLUME, pages=120, on=back(2))
    # Addresses are set last so that loading the demo sends no mail.
    for n, person in created:
        Request.objects.filter(tracking_number=f"YS{n:010d}").update(email=f"applicant{person}@example.invalid")
    stdout.write(f"requests demo: {made} new request(s); status page: YS0000000005 / {demo_query_code(5)}")
    return logins

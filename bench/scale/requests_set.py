"""50,000 requests of the scale set in every state, with the segments, clocks, notices and counters
the services would have written (``build.py`` runs :func:`work` in two processes)."""

import datetime as dt
import random

from bench.scale import common


def _person(rng, n):
    from portal import codes
    from requests_app.models import ApplicantCategory, IdType

    if n % 5:
        body = f"9901011990{(n % 12) + 1:02d}{(n % 28) + 1:02d}{n % 1000:03d}"
        return {
            "applicant_category": ApplicantCategory.NATURAL_PERSON,
            "applicant_name": f"示例申请人{n}",
            "id_type": IdType.RESIDENT_ID,
            "id_number": codes.make_resident_id(body),
        }
    return {
        "applicant_category": ApplicantCategory.BUSINESS,
        "applicant_name": f"示范某某有限公司{n}（虚构）",
        "id_type": IdType.USCC,
        "id_number": codes.make_uscc("91990101" + codes.make_org_code(f"E{n:07d}")),
    }


def build_requests(chunk):
    """Requests of one organisation: rows, the segments the services write, clocks, notices, counters."""
    from django.db import connection, transaction
    from django.utils import timezone

    from portal.models import Organization, User
    from requests_app import access, clock, notices, services
    from requests_app.models import Channel as RequestChannel
    from requests_app.models import (
        ClockSegment,
        Counter,
        DeliveryMethod,
        ExtensionStatus,
        FormWanted,
        Notice,
        NoticeDelivery,
        NoticeKind,
        Outcome,
        PauseReason,
        Request,
        SegmentKind,
        Status,
    )
    from requests_app.services import format_date as date_text

    org_id, first, count, open_count = chunk
    rng = random.Random(org_id)
    org = Organization.objects.select_related("parent").get(pk=org_id)
    officer = User.objects.filter(username="bench_officer").first() if org.short_name == "县民政局" else None
    calendar = common.calendar()
    today = clock.today()
    code_hash = access.hash_query_code("BENCH-CODE-0000-0000")
    registrations, notice_serials = {}, {}
    prefix = services.settings_for(org).document_prefix or (org.short_name or org.name) + "依申请公开"
    reply_outcomes = [o for o in services.REPLY_OUTCOMES]

    def number(series, year):
        key = (series, year)
        store = registrations if series == "registration" else notice_serials
        store[key] = store.get(key, 0) + 1
        return store[key]

    plans = []
    for i in range(count):
        n = first + i
        is_open = i < open_count
        if is_open:
            receipt = calendar.add_working_days(today, -rng.randrange(0, 40))
        else:
            year = common.YEARS[i % len(common.YEARS)]
            receipt = dt.date(year, 1, 2) + dt.timedelta(days=rng.randrange(0, 300))
        plans.append((receipt, n, is_open))
    plans.sort()
    rows, all_segments, all_notices = [], [], []
    for receipt, n, is_open in plans:
        person = _person(rng, n)
        delivery = rng.choice([DeliveryMethod.ONLINE, DeliveryMethod.POST, DeliveryMethod.EMAIL])
        req = Request(
            organization=org,
            tracking_number=f"YS9{n:09d}",
            query_code_hash=code_hash,
            channel=rng.choice([c for c in RequestChannel.values]),
            form_wanted=FormWanted.ELECTRONIC,
            delivery_method=delivery,
            email=f"applicant{n}@example.invalid" if delivery == DeliveryMethod.EMAIL else "",
            address="示范县示范路1号（虚构地址）",
            postcode="999001",
            phone=f"0000555{n % 10000:04d}",
            description=f"申请公开{receipt.year}年{rng.choice(['低保资金发放', '征地补偿标准', '道路建设招标', '项目验收'])}相关信息（示例{n}）",  # noqa: E501
            receipt_date=receipt,
            received_by=officer,
            **person,
        )
        segs = []
        steps = []  # (kind, on, extra values)
        serial = number("registration", receipt.year)
        req.registration_year, req.registration_serial = receipt.year, serial
        req.registration_number = services.format_registration_number(receipt.year, serial)
        segs.append(ClockSegment(kind=SegmentKind.RUNNING, starts_on=receipt))
        steps.append((NoticeKind.ACKNOWLEDGEMENT, receipt, {}))
        roll = rng.random()
        if is_open:
            if roll < 0.04:
                req.status = Status.RECEIVED  # online, not yet confirmed: no clock
                req.receipt_date = None
                req.registration_year = req.registration_serial = None
                req.registration_number = ""
                segs, steps = [], []
            elif roll < 0.15:
                req.status = Status.REGISTERED
            elif roll < 0.25:
                req.status = Status.UNDER_REVIEW
            elif roll < 0.35 and receipt < today:
                req.status = Status.SUPPLEMENT_REQUESTED
                on = min(calendar.add_working_days(receipt, 2), today)
                deadline = calendar.add_working_days(on, 15)
                req.supplement_items, req.supplement_requested_on, req.supplement_deadline = (
                    "请写明文件名称。",
                    on,
                    deadline,
                )
                segs[-1].ends_on = on
                segs.append(
                    ClockSegment(
                        kind=SegmentKind.PAUSED, reason=PauseReason.SUPPLEMENT, starts_on=on, deadline=deadline
                    )
                )
                steps.append(
                    (
                        NoticeKind.SUPPLEMENT,
                        on,
                        {
                            "supplement_items": req.supplement_items,
                            "supplement_deadline": date_text(deadline),
                        },
                    )
                )
            else:
                req.status, req.handler = Status.IN_HANDLING, officer
                if roll > 0.9 and receipt < today:
                    on = min(calendar.add_working_days(receipt, 3), today)
                    deadline = calendar.add_working_days(on, clock.THIRD_PARTY_WORKING_DAYS)
                    segs[-1].ends_on = on
                    segs.append(
                        ClockSegment(
                            kind=SegmentKind.PAUSED,
                            reason=PauseReason.THIRD_PARTY,
                            starts_on=on,
                            deadline=deadline,
                            party="第三方企业（虚构）",
                        )
                    )
                    steps.append(
                        (
                            NoticeKind.THIRD_PARTY,
                            on,
                            {
                                "third_party": "第三方企业（虚构）",
                                "third_party_deadline": date_text(deadline),
                            },
                        )
                    )
                elif roll > 0.82:
                    on = min(calendar.add_working_days(receipt, 10), today)
                    req.extension_status, req.extension_days, req.extension_reason = (
                        ExtensionStatus.APPROVED,
                        15,
                        "信息量较大，需要汇总整理",
                    )
                    req.extension_decided_on = on
                    steps.append(
                        (NoticeKind.EXTENSION, on, {"extension_days": 15, "extension_reason": req.extension_reason})
                    )
        else:
            replied = calendar.add_working_days(receipt, rng.randrange(2, 24))
            if roll < 0.05:
                req.status, req.outcome, req.concluded_on = Status.WITHDRAWN, Outcome.OTHER, replied
                segs[-1].ends_on = replied
            elif roll < 0.09:
                on = calendar.add_working_days(receipt, 2)
                deadline = calendar.add_working_days(on, 15)
                req.supplement_items, req.supplement_requested_on, req.supplement_deadline = (
                    "请写明文件名称。",
                    on,
                    deadline,
                )
                closed = deadline + dt.timedelta(days=1)
                segs[-1].ends_on = on
                segs.append(
                    ClockSegment(
                        kind=SegmentKind.PAUSED,
                        reason=PauseReason.SUPPLEMENT,
                        starts_on=on,
                        deadline=deadline,
                        ends_on=closed,
                    )
                )
                steps.append(
                    (
                        NoticeKind.SUPPLEMENT,
                        on,
                        {
                            "supplement_items": req.supplement_items,
                            "supplement_deadline": date_text(deadline),
                        },
                    )
                )
                req.status, req.outcome, req.concluded_on = Status.CLOSED, Outcome.OTHER_NOT_SUPPLEMENTED, closed
                steps.append((NoticeKind.TERMINATION, closed, {"termination_reason": "逾期未补正，视为放弃申请。"}))
            else:
                if roll > 0.93:
                    on = calendar.add_working_days(receipt, 1)
                    back = calendar.add_working_days(on, 8)
                    segs[-1].ends_on = on
                    segs.append(
                        ClockSegment(
                            kind=SegmentKind.PAUSED,
                            reason=PauseReason.THIRD_PARTY,
                            starts_on=on,
                            ends_on=back,
                            deadline=calendar.add_working_days(on, 15),
                            party="第三方（虚构）",
                        )
                    )
                    segs.append(ClockSegment(kind=SegmentKind.RUNNING, starts_on=back))
                    steps.append((NoticeKind.THIRD_PARTY, on, {"third_party": "第三方（虚构）"}))
                    replied = calendar.add_working_days(back, rng.randrange(1, 10))
                outcome = rng.choice(reply_outcomes)
                req.outcome, req.concluded_on, req.replied_on = outcome, replied, replied
                req.decision = "经审查，现答复如下（基准数据）。"
                req.legal_basis = "《中华人民共和国政府信息公开条例》第三十六条" if outcome.value[0] in "345" else ""
                segs[-1].ends_on = replied
                req.status = Status.ARCHIVED if roll > 0.5 else Status.REPLIED
                if req.status == Status.ARCHIVED:
                    req.archived_on = replied + dt.timedelta(days=7)
                steps.append((NoticeKind.REPLY, replied, {"outcome": outcome.label, "decision": req.decision}))
        state = clock.compute(req, calendar=calendar, on=today, segments=segs)
        base = {
            "applicant_name": req.applicant_name,
            "organization": org.name,
            "organization_address": org.office_address,
            "organization_phone": org.office_phone,
            "tracking_number": req.tracking_number,
            "registration_number": req.registration_number,
            "receipt_date": date_text(req.receipt_date),
            "description": req.description,
            "form_wanted": req.get_form_wanted_display(),
            "delivery_method": req.get_delivery_method_display(),
            "due_date": date_text(state.due_date),
            "original_due_date": date_text(state.original_due_date),
            "reconsideration_body": org.parent.name if org.parent_id else "上一级行政机关",
            "court": "有管辖权的人民法院",
        }
        req_notices = []
        for kind, on, extra in steps:
            title, body = notices.render(kind, org, {**base, "today": date_text(on), **extra})
            notice = Notice(
                kind=kind,
                title=title,
                body=body,
                issued_on=on,
                document_number=f"{prefix}〔{on.year}〕{number('notice', on.year)}号",
                recipient=extra.get("third_party") or req.applicant_name,
            )
            if kind != NoticeKind.THIRD_PARTY and delivery == DeliveryMethod.ONLINE:
                notice.delivered_at = timezone.make_aware(dt.datetime.combine(on, dt.time(12)))
                notice.delivery_method = NoticeDelivery.ONLINE
            req_notices.append(notice)
        rows.append(req)
        all_segments.append(segs)
        all_notices.append(req_notices)
    with transaction.atomic():
        Request.objects.bulk_create(rows, batch_size=1000)
        ClockSegment.objects.bulk_create(
            [s for req, segs in zip(rows, all_segments) for s in segs if not setattr(s, "request", req)],
            batch_size=2000,
        )
        Notice.objects.bulk_create(
            [x for req, ns in zip(rows, all_notices) for x in ns if not setattr(x, "request", req)], batch_size=1000
        )
        Counter.objects.bulk_create(
            [
                Counter(organization=org, year=y, series=s, last=v)
                for (s, y), v in list(registrations.items()) + list(notice_serials.items())
            ]
        )
    connection.close()
    return count


def delete_requests():
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE requests_app_notice, requests_app_clocksegment, requests_app_counter, "
            "requests_app_request CASCADE"
        )


def memoize_notice_templates():
    """The notice templates do not change while the set is built: look each one up and compile it once.

    ``notices.template_for`` asks the database on every call and ``render``
    compiles the template text each time; both are deterministic here, so
    remembering their answers stores exactly the notices the services write.
    """
    from functools import lru_cache

    from requests_app import notices

    notices.template_for = lru_cache(maxsize=None)(notices.template_for)
    notices._ENGINE.from_string = lru_cache(maxsize=None)(notices._ENGINE.from_string)


def request_plan():
    from portal.models import Organization

    civil = Organization.objects.get(short_name="县民政局")
    others = list(
        Organization.objects.exclude(pk=civil.pk)
        .exclude(kind__in=["village", "community"])
        .order_by("tree_id", "lft")
        .values_list("id", flat=True)
    )
    civil_count = max(common.OPEN_IN_CIVIL, common.REQUESTS * 12 // 50)
    plan = [(civil.pk, 0, civil_count, common.OPEN_IN_CIVIL)]
    rest = common.REQUESTS - civil_count
    each, extra = divmod(rest, len(others))
    first = civil_count
    for i, org_id in enumerate(others):
        n = each + (1 if i < extra else 0)
        plan.append((org_id, first, n, n // 40))
        first += n
    return plan


def work(task):
    _kind, chunk = task
    return build_requests(chunk)

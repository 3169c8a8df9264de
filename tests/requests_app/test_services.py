"""The workflow: every statutory step, its notice, its audit entry, and clear refusals."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from portal import audit
from requests_app import access, services
from requests_app.models import Outcome, PauseReason, Request, RequestSettings, Status

from .conftest import applicant

D = dt.date


def test_online_application_is_received_then_registered_on_the_confirmation_day(online, county, today):
    req, code = online(email="a@example.invalid")
    assert req.status == Status.RECEIVED and req.receipt_date is None and not req.registration_number
    assert not req.clock.started
    assert len(code) == 16 and access.check_query_code(code, req.query_code_hash)
    assert code not in req.query_code_hash
    today(D(2026, 6, 3))
    services.register(county.officer, req)
    req.refresh_from_db()
    assert req.receipt_date == D(2026, 6, 3)
    assert req.registration_number == "〔2026〕第0001号"
    ack = req.notices.get(kind="acknowledgement")
    # Due 20 working days later, skipping the Dragon Boat Festival (2026-06-19).
    assert "〔2026〕第0001号" in ack.body and "2026年7月2日" in ack.body
    assert ack.document_number.startswith("县民政局依申请公开〔2026〕")


def test_submission_mails_number_and_code_but_notices_mail_no_code(
    online, county, today, django_capture_on_commit_callbacks, deliver_outbox
):
    with django_capture_on_commit_callbacks(execute=True):
        req, code = online(email="a@example.invalid")
    deliver_outbox()
    assert len(mail.outbox) == 1
    assert req.tracking_number in mail.outbox[0].body
    assert access.format_query_code(code) in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        services.register(county.officer, req)
    deliver_outbox()
    assert len(mail.outbox) == 2
    assert access.format_query_code(code) not in mail.outbox[1].body
    assert req.id_number not in mail.outbox[1].body


def test_registration_numbers_are_per_organisation_and_year_and_gapless(intake, county, today):
    numbers = [intake(D(2026, 5, 29))[0].registration_number for _ in range(3)]
    assert numbers == ["〔2026〕第0001号", "〔2026〕第0002号", "〔2026〕第0003号"]
    other, _ = intake(D(2026, 5, 29), org=county.east, actor=county.east_officer)
    assert other.registration_number == "〔2026〕第0001号"
    last_year, _ = intake(D(2025, 12, 30))
    assert last_year.registration_number == "〔2025〕第0001号"


def test_staff_intake_rejects_a_future_receipt_date_and_bad_check_digits(county, today):
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.intake(county.officer, county.civil, channel="post", receipt_date=D(2026, 6, 2), **applicant())
    bad = applicant()
    bad["id_number"] = bad["id_number"][:-1] + ("0" if bad["id_number"][-1] != "0" else "1")
    with pytest.raises(ValidationError) as info:
        services.intake(county.officer, county.civil, channel="post", receipt_date=D(2026, 6, 1), **bad)
    assert "校验位" in str(info.value) and bad["id_number"] not in str(info.value)
    assert not Request.objects.exists()


def test_a_company_needs_a_valid_credit_code(county, today):
    from portal import codes

    good = codes.make_uscc("91990101" + codes.make_org_code("Q1234567"))
    data = applicant(applicant_category="business", applicant_name="测试公司", id_type="uscc", id_number=good)
    req, _ = services.intake(county.officer, county.civil, channel="fax", receipt_date=D(2026, 6, 1), **data)
    assert req.id_number == good
    with pytest.raises(ValidationError, match="统一社会信用代码"):
        services.intake(
            county.officer,
            county.civil,
            channel="fax",
            receipt_date=D(2026, 6, 1),
            **dict(data, id_number=good[:-1] + ("1" if good[-1] != "1" else "2")),
        )


def test_whole_loop_to_archive_with_audit_trail(in_handling, county, today):
    req = in_handling(D(2026, 6, 1))
    today(D(2026, 6, 10))
    upload = SimpleUploadedFile("名单.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    services.reply(county.officer, req, outcome=Outcome.DISCLOSED, decision="予以公开，见附件。", files=[upload])
    req.refresh_from_db()
    assert req.status == Status.REPLIED and req.outcome == "1" and req.concluded_on == D(2026, 6, 10)
    assert req.files.get().kind == "disclosed"
    reply = req.notices.get(kind="reply")
    assert "行政复议" in reply.body and "行政诉讼" in reply.body and "予以公开" in reply.body
    assert reply.document_number.startswith("县民政局依申请公开〔2026〕")
    services.archive(county.officer, req)
    req.refresh_from_db()
    assert req.status == Status.ARCHIVED
    verbs = [e.verb for e in audit.entries_for(req)]
    for verb in ("登记纸质申请", "登记", "开始审核", "审核通过，转入办理", "答复", "归档"):
        assert verb in verbs


def test_impossible_steps_are_refused_with_a_clear_message(intake, in_handling, county, today):
    req, _ = intake()
    with pytest.raises(ValidationError, match="当前状态为“已登记”，不能执行“答复”"):
        services.reply(county.officer, req, outcome="1", decision="x")
    with pytest.raises(ValidationError, match="不能执行“归档”"):
        services.archive(county.officer, req)
    handled = in_handling()
    services.reply(county.officer, handled, outcome="1", decision="予以公开")
    with pytest.raises(ValidationError, match="不能执行“撤回申请”"):
        services.withdraw(handled)
    with pytest.raises(ValidationError, match="不能执行“征求意见”"):
        services.start_consultation(county.officer, handled, reason="third_party", party="x")


def test_withholding_needs_a_legal_basis(in_handling, county):
    req = in_handling()
    with pytest.raises(ValidationError, match="法律依据"):
        services.reply(county.officer, req, outcome=Outcome.WITHHELD_STATE_SECRET, decision="不予公开")
    services.reply(
        county.officer, req, outcome=Outcome.WITHHELD_STATE_SECRET, decision="不予公开", legal_basis="《条例》第十四条"
    )
    assert Request.objects.get(pk=req.pk).outcome == "3.1"


def test_the_deadline_outcomes_cannot_be_chosen_as_a_reply(in_handling, county):
    req = in_handling()
    with pytest.raises(ValidationError):
        services.reply(county.officer, req, outcome=Outcome.OTHER_NOT_SUPPLEMENTED, decision="x")


def test_supplement_once_then_not_supplemented_closes_as_other_1(intake, county, today):
    req, _ = intake(D(2026, 6, 1))
    services.begin_review(county.officer, req)
    services.request_supplement(county.officer, req, items="请写明文号", deadline=D(2026, 6, 15))
    req.refresh_from_db()
    assert req.status == Status.SUPPLEMENT_REQUESTED and req.clock.paused
    assert req.notices.filter(kind="supplement").exists()
    today(D(2026, 6, 15))
    call_command("process_request_deadlines", stdout=io.StringIO())
    assert Request.objects.get(pk=req.pk).status == Status.SUPPLEMENT_REQUESTED  # the deadline day still counts
    today(D(2026, 6, 16))
    call_command("process_request_deadlines", stdout=io.StringIO())
    req.refresh_from_db()
    assert req.status == Status.CLOSED and req.outcome == Outcome.OTHER_NOT_SUPPLEMENTED
    assert req.concluded_on == D(2026, 6, 16)
    assert req.notices.filter(kind="termination").exists()


def test_online_supplement_after_the_deadline_is_refused_but_staff_may_accept_it(intake, county, today):
    req, _ = intake(D(2026, 6, 1))
    services.request_supplement(county.officer, req, items="请写明文号", deadline=D(2026, 6, 5))
    today(D(2026, 6, 8))
    with pytest.raises(ValidationError, match="补正期限"):
        services.supplement(req, text="文号")
    services.supplement(req, text="文号（迟交，有正当理由）", actor=county.officer)
    assert Request.objects.get(pk=req.pk).status == Status.UNDER_REVIEW


def test_supplement_can_be_requested_only_once(intake, county, today):
    req, _ = intake(D(2026, 6, 1))
    services.request_supplement(county.officer, req, items="请写明文号", deadline=D(2026, 6, 5))
    services.supplement(req, text="文号")
    with pytest.raises(ValidationError, match="只能告知一次"):
        services.request_supplement(county.officer, req, items="再补一次")


def test_extension_rules(in_handling, county, today):
    req = in_handling(D(2026, 6, 1))
    with pytest.raises(ValidationError, match="20个工作日"):
        services.request_extension(county.officer, req, days=21, reason="x")
    with pytest.raises(PermissionDenied):
        services.request_extension(county.reviewer, req, days=10, reason="x")
    services.request_extension(county.officer, req, days=10, reason="数量较大")
    with pytest.raises(PermissionDenied):
        services.approve_extension(county.officer, req)
    services.approve_extension(county.reviewer, req)
    with pytest.raises(ValidationError, match="只能延长一次"):
        services.request_extension(county.officer, req, days=5, reason="再延")


def test_extension_must_be_approved_before_the_original_deadline(in_handling, county, today):
    req = in_handling(D(2026, 6, 1))
    services.request_extension(county.officer, req, days=10, reason="数量较大")
    original = Request.objects.get(pk=req.pk).clock.original_due_date
    today(original + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="原答复期限"):
        services.approve_extension(county.reviewer, req)


def test_third_party_silence_resumes_the_clock_at_its_deadline(in_handling, county, today):
    req = in_handling(D(2026, 6, 1))
    services.start_consultation(county.officer, req, reason=PauseReason.THIRD_PARTY, party="某公司")
    deadline = req.segments.get(ends_on__isnull=True).deadline
    today(deadline + dt.timedelta(days=3))
    services.process_deadlines()
    req.refresh_from_db()
    assert not req.clock.paused
    assert req.segments.filter(kind="paused").get().ends_on == deadline
    assert req.notices.filter(kind="third_party", recipient="某公司").exists()


def test_fees_only_where_the_organisation_charges(in_handling, county, today):
    req = in_handling(D(2026, 6, 1))
    with pytest.raises(ValidationError, match="未开启收取信息处理费"):
        services.issue_fee_notice(county.officer, req, basis="per_volume", pages=120)
    RequestSettings.objects.create(organization=county.civil, charge_fees=True)
    with pytest.raises(ValidationError, match="不收费"):
        services.issue_fee_notice(county.officer, req, basis="per_volume", pages=30)
    services.issue_fee_notice(county.officer, req, basis="per_volume", pages=120)
    req.refresh_from_db()
    assert req.fee_amount == Decimal(1100) and req.clock.paused and req.clock.pause_reason == "fee"
    fee_notice = req.notices.get(kind="fee")
    assert "1100" in fee_notice.body and "按量计收" in fee_notice.body
    with pytest.raises(ValidationError, match="只能选择一种标准"):
        services.issue_fee_notice(county.officer, req, basis="per_application")
    today(D(2026, 6, 5))
    services.record_fee_payment(county.officer, req)
    assert not Request.objects.get(pk=req.pk).clock.paused


def test_fee_not_paid_in_time_closes_as_other_2(in_handling, county, today):
    RequestSettings.objects.create(organization=county.civil, charge_fees=True)
    req = in_handling(D(2026, 6, 1))
    services.issue_fee_notice(county.officer, req, basis="per_volume", pages=50)
    deadline = req.segments.get(ends_on__isnull=True).deadline
    today(deadline)
    with pytest.raises(ValidationError, match="尚未届满"):
        services.close_unpaid(county.officer, req)
    today(deadline + dt.timedelta(days=1))
    assert services.process_deadlines()["fee_unpaid"] == 1
    assert Request.objects.get(pk=req.pk).outcome == Outcome.OTHER_FEE_UNPAID


def test_per_application_fee_counts_the_applicants_month(intake, county, today):
    RequestSettings.objects.create(organization=county.civil, charge_fees=True)
    data = applicant()
    reqs = [intake(D(2026, 5, d % 28 + 1), **data)[0] for d in range(11)]
    eleventh = max(reqs, key=lambda r: (r.receipt_date, r.pk))
    assert services.applications_in_month(eleventh) == 11
    amount, detail, nth = services.assess_fee(eleventh, "per_application")
    assert amount == Decimal(100) and nth == 11
    first = min(reqs, key=lambda r: (r.receipt_date, r.pk))
    assert services.assess_fee(first, "per_application")[0] == 0


def test_withdrawal_counts_as_other_3(intake, county, today):
    req, _ = intake()
    services.withdraw(req)
    req.refresh_from_db()
    assert req.status == Status.WITHDRAWN and req.outcome == Outcome.OTHER and req.concluded_on == today.date()


def test_an_archived_request_never_changes(in_handling, county, today):
    req = in_handling()
    services.reply(county.officer, req, outcome="1", decision="予以公开")
    services.archive(county.officer, req)
    for step in (
        lambda: services.reply(county.officer, req, outcome="1", decision="x"),
        lambda: services.withdraw(req),
        lambda: services.begin_review(county.officer, req),
        lambda: services.archive(county.officer, req),
        lambda: services.request_supplement(county.officer, req, items="x"),
    ):
        with pytest.raises(ValidationError):
            step()
    assert Request.objects.get(pk=req.pk).status == Status.ARCHIVED


def test_a_stale_page_gets_a_clear_message(in_handling, county):
    req = in_handling()
    seen = req.version
    services.assign_handler(county.officer2, req, county.officer2, expected_version=seen)
    with pytest.raises(ValidationError, match="刚刚已被其他人处理"):
        services.reply(county.officer, req, outcome="1", decision="予以公开", expected_version=seen)
    assert Request.objects.get(pk=req.pk).status == Status.IN_HANDLING


def test_handler_must_belong_to_the_organisation(in_handling, county):
    req = in_handling()
    with pytest.raises(ValidationError, match="本机关"):
        services.assign_handler(county.officer, req, county.county_officer)
    with pytest.raises(ValidationError, match="本机关"):
        services.assign_handler(county.officer, req, county.clerk)


def test_delivery_is_recorded_once(intake, county):
    req, _ = intake(delivery_method="post")
    ack = req.notices.get()
    assert ack.delivered_at is None
    services.deliver_notice(county.officer, ack, method="post", note="挂号信 XA123")
    ack.refresh_from_db()
    assert ack.delivery_method == "post" and ack.delivered_at is not None
    with pytest.raises(ValidationError, match="已于"):
        services.deliver_notice(county.officer, ack, method="in_person")


def test_online_delivery_is_recorded_when_issued(intake):
    req, _ = intake(delivery_method="online")
    ack = req.notices.get()
    assert ack.delivered_at is not None and ack.delivery_method == "online"


def test_edited_template_is_used_for_new_notices_only(intake, county):
    from requests_app.models import NoticeTemplate

    first, _ = intake()
    template = NoticeTemplate.objects.get(organization=None, kind="acknowledgement")
    template.body = "{{ organization }}已收到，登记号{{ registration_number }}。特别说明：测试措辞。"
    template.save()
    second, _ = intake()
    assert "测试措辞" in second.notices.get().body
    assert "测试措辞" not in first.notices.get().body


def test_reply_becomes_a_proactive_draft(in_handling, county):
    req = in_handling()
    services.reply(county.officer, req, outcome="1", decision="予以公开")
    if not services.disclosure_hook_available():
        with pytest.raises(ValidationError, match="主动公开模块"):
            services.make_disclosure_draft(county.officer, req)
        return
    services.make_disclosure_draft(county.officer, req)
    req.refresh_from_db()
    assert req.disclosure_draft
    from disclosure.models import DisclosureItem

    item = DisclosureItem.objects.get(pk=req.disclosure_draft)
    assert item.organization == county.civil
    assert req.applicant_name not in item.body and req.id_number not in item.body
    with pytest.raises(ValidationError, match="已转为"):
        services.make_disclosure_draft(county.officer, req)


def test_a_description_ending_in_a_full_stop_is_not_doubled(in_handling, county):
    req = in_handling(description="2026年建设项目审批程序文件。")
    services.reply(county.officer, req, outcome=Outcome.DISCLOSED, decision="予以公开")
    body = req.notices.get(kind="reply").body
    assert "审批程序文件。" in body and "。。" not in body


def test_the_audit_log_keeps_each_step_as_its_code_and_reads_it_in_the_readers_language(in_handling, county):
    from django.utils import translation

    from portal.models import AuditEvent

    req = in_handling()
    services.reply(county.officer, req, outcome=Outcome.DISCLOSED, decision="予以公开。")
    entries = list(audit.entries_for(req))
    assert not [e for e in entries if e.event == AuditEvent.LEGACY]
    replied = next(e for e in entries if e.event == "requests_app.reply")
    assert replied.from_code == "requests_app.request.status:in_handling"
    assert replied.to_code == "requests_app.request.status:replied"
    issued = [e for e in entries if e.event == "requests_app.issue_notice"]
    assert len(issued) == req.notices.count()
    with translation.override("en"):
        assert (replied.verb, issued[-1].verb) == ("Reply", "Issue document")
    with translation.override("zh-hans"):
        assert (replied.verb, replied.to_state) == ("答复", "已答复")

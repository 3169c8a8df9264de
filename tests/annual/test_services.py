"""Generating, editing, reviewing and publishing a report; tables 二 and 四; who may do what."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from annual import selectors, services
from annual.models import (
    AnnualReport,
    CaseKind,
    CaseResult,
    ProactiveFigures,
    ReportScope,
    ReportState,
    ReviewCase,
)
from disclosure.models import DisclosureItem, DocumentType, ItemKind, ItemState, Validity
from portal import audit
from requests_app.models import Outcome

D = dt.date


def item(
    org,
    *,
    document_type=DocumentType.NORMATIVE,
    written=None,
    published=D(2025, 6, 1),
    state=ItemState.PUBLISHED,
    validity=Validity.VALID,
    repealed=None,
    expired=None,
    kind=ItemKind.DOCUMENT,
):
    return DisclosureItem.objects.create(
        organization=org,
        title="测试文件",
        kind=kind,
        document_type=document_type,
        written_on=written,
        state=state,
        validity=validity,
        repealed_on=repealed,
        expired_on=expired,
        published_at=timezone.make_aware(dt.datetime.combine(published, dt.time(10))) if published else None,
    )


def test_table_two_counts_regulations_and_normative_documents_by_their_dates(county):
    civil = county.civil
    item(civil, written=D(2025, 3, 1))  # issued 2025, in force
    item(civil, written=D(2023, 5, 1), validity=Validity.REPEALED, repealed=D(2025, 6, 1))  # repealed 2025
    item(civil, written=D(2022, 1, 1))  # in force
    item(civil, written=D(2021, 1, 1), validity=Validity.REPEALED, repealed=D(2026, 3, 1))  # in force at end 2025
    item(civil, written=D(2024, 1, 1), validity=Validity.EXPIRED, expired=D(2024, 12, 31))  # expired before
    item(civil, document_type=DocumentType.REGULATION, written=None, published=D(2025, 7, 1))  # no 成文日期
    item(civil, written=D(2026, 2, 1), published=D(2026, 2, 2))  # next year
    item(civil, written=D(2025, 4, 1), state=ItemState.DRAFT, published=None)  # never published
    item(civil, written=D(2025, 4, 1), state=ItemState.WITHDRAWN)  # withdrawn
    item(civil, written=D(2025, 4, 1), document_type=DocumentType.OTHER)  # not a normative document
    item(county.east, written=D(2025, 4, 1))  # the township's
    ProactiveFigures.objects.create(
        organization=civil,
        year=2025,
        licensing_decisions=12,
        penalty_decisions=3,
        enforcement_decisions=1,
        fees_amount="1.25",
    )
    ProactiveFigures.objects.create(organization=county.east, year=2025, licensing_decisions=5, fees_amount="0.0050")
    ProactiveFigures.objects.create(organization=civil, year=2024, licensing_decisions=99)

    table = selectors.table2(civil, ReportScope.ORGANIZATION, 2025)
    assert table["regulation"] == {"issued": 1, "repealed": 0, "in_force": 1}
    assert table["normative"] == {"issued": 1, "repealed": 1, "in_force": 3}
    assert (table["licensing"], table["penalty"], table["enforcement"], table["fees_wan"]) == (12, 3, 1, "1.25")

    county_wide = selectors.table2(county.gov, ReportScope.SUBTREE, 2025)
    assert county_wide["normative"] == {"issued": 2, "repealed": 1, "in_force": 4}
    assert (county_wide["licensing"], county_wide["fees_wan"]) == (17, "1.255")


def test_fees_are_kept_to_the_fen(county):
    """平潭 2023 published 5949.088667 万元: six places of 万元 must survive entry and the report."""
    figures = ProactiveFigures(organization=county.civil, year=2025, fees_amount="5949.088667")
    figures.full_clean()
    figures.save()
    table = selectors.table2(county.civil, ReportScope.ORGANIZATION, 2025)
    assert table["fees_wan"] == "5949.088667"


def test_table_four_counts_cases_filed_in_the_year_and_earlier_cases_decided_in_it(county):
    civil = county.civil

    def case(kind, filed, result=CaseResult.PENDING, concluded=None, org=civil):
        return ReviewCase.objects.create(
            organization=org, kind=kind, filed_on=filed, result=result, concluded_on=concluded
        )

    case(CaseKind.RECONSIDERATION, D(2025, 3, 1), CaseResult.UPHELD, D(2025, 5, 1))
    case(CaseKind.RECONSIDERATION, D(2025, 10, 1), CaseResult.CORRECTED, D(2026, 1, 10))  # undecided on 31 Dec
    case(CaseKind.RECONSIDERATION, D(2024, 2, 1), CaseResult.UPHELD, D(2024, 5, 1))  # all in 2024
    case(CaseKind.LITIGATION_DIRECT, D(2024, 11, 1), CaseResult.OTHER, D(2025, 2, 1))  # decided in 2025
    case(CaseKind.LITIGATION_AFTER, D(2024, 6, 1))  # still pending, old
    case(CaseKind.LITIGATION_AFTER, D(2025, 4, 1))
    case(CaseKind.LITIGATION_AFTER, D(2025, 4, 2), CaseResult.CORRECTED, D(2025, 9, 1))
    case(CaseKind.RECONSIDERATION, D(2025, 4, 2), org=county.east)

    table = selectors.table4(civil, ReportScope.ORGANIZATION, 2025)
    assert table["reconsideration"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 1, "total": 2}
    assert table["litigation_direct"] == {"upheld": 0, "corrected": 0, "other": 1, "pending": 0, "total": 1}
    assert table["litigation_after"] == {"upheld": 0, "corrected": 1, "other": 0, "pending": 1, "total": 2}
    assert selectors.table4(county.gov, ReportScope.SUBTREE, 2025)["reconsideration"]["total"] == 3


def test_a_case_must_say_when_it_was_decided(county):
    case = ReviewCase(
        organization=county.civil, kind=CaseKind.RECONSIDERATION, filed_on=D(2025, 3, 1), result=CaseResult.UPHELD
    )
    with pytest.raises(ValidationError) as exc:
        case.full_clean()
    assert "已审结的案件请填写审结日期。" in str(exc.value)
    case.concluded_on = D(2025, 2, 1)
    with pytest.raises(ValidationError) as exc:
        case.full_clean()
    assert "审结日期不能早于立案日期。" in str(exc.value)


@pytest.fixture
def report_2025(county, intake, today):
    from requests_app import services as rq

    req = intake(D(2025, 3, 3))
    rq.begin_review(county.officer, req)
    rq.reply(county.officer, req, outcome=Outcome.DISCLOSED, decision="公开", on=D(2025, 3, 10))
    intake(D(2025, 12, 30), applicant_category="business")
    return services.generate(county.clerk, county.civil, 2025)


def test_generating_freezes_the_numbers_and_drafts_sections_one_and_six(report_2025, county, intake):
    report = report_2025
    assert report.state == ReportState.DRAFT
    t3 = report.data["table3"]
    assert t3["received"]["total"] == 2 and t3["1"]["natural"] == 1 and t3["carried_forward"]["business"] == 1
    assert "本年度新收政府信息公开申请2件" in report.overview
    assert "本年度未收取信息处理费。" in report.other_matters
    # A late entry changes nothing until the draft is generated again.
    intake(D(2025, 11, 3))
    report.refresh_from_db()
    assert report.data["table3"]["received"]["total"] == 2
    report = services.regenerate(county.clerk, report)
    assert report.data["table3"]["received"]["total"] == 3
    assert "本年度新收政府信息公开申请3件" in report.overview  # the untouched draft follows the numbers


def test_regenerating_keeps_what_staff_wrote(report_2025, county, intake):
    services.update_text(county.clerk, report_2025, overview="本局自行撰写的总体情况。", problems="问题与改进。")
    intake(D(2025, 11, 3))
    report = services.regenerate(county.clerk, report_2025)
    assert report.overview == "本局自行撰写的总体情况。"
    assert "本年度新收政府信息公开申请3件" in report.data["draft_overview"]


def test_the_whole_flow_is_audited_and_publishing_needs_every_section(report_2025, county):
    report = report_2025
    with pytest.raises(ValidationError) as exc:
        services.submit(county.clerk, report)
    assert "请填写“五、存在的主要问题及改进情况”。" in exc.value.messages
    services.update_text(county.clerk, report, problems="个别答复说理不够充分，将加强培训。")
    services.submit(county.clerk, report)
    services.return_for_revision(county.reviewer, report, comment="请补充改进措施。")
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT and report.review_comment == "请补充改进措施。"
    services.submit(county.clerk, report)
    report = services.publish(county.reviewer, report)
    assert report.state == ReportState.PUBLISHED and report.published_by == county.reviewer
    verbs = [e.verb for e in audit.entries_for(report).order_by("at", "id")]
    assert verbs == ["生成统计数据", "编辑正文", "提交审核", "退回修改", "提交审核", "发布"]
    with pytest.raises(ValidationError) as exc:
        services.regenerate(county.clerk, report)
    assert "已发布的年度报告不能重新生成" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.update_text(county.clerk, report, overview="改写")


def test_publishing_is_refused_naming_the_cell_when_the_numbers_do_not_balance(report_2025, county):
    services.update_text(county.clerk, report_2025, problems="无")
    report = services.submit(county.clerk, report_2025)
    AnnualReport.objects.filter(pk=report.pk).update(
        data={
            **report.data,
            "table3": {**report.data["table3"], "1": {**report.data["table3"]["1"], "natural": 0, "total": 0}},
        }
    )
    with pytest.raises(ValidationError) as exc:
        services.publish(county.reviewer, report)
    assert "表三“（七）总计”行“自然人”列：（一）至（六）之和应为 0，实为 1。" in exc.value.messages
    assert "表三“自然人”列不平衡：第一项加第二项之和为 1，第三项（七）总计加第四项之和为 1。" not in exc.value.messages
    report.refresh_from_db()
    assert report.state == ReportState.IN_REVIEW


def test_a_year_not_yet_over_cannot_be_published(county, today):
    services.generate(county.clerk, county.civil, 2026)
    report = AnnualReport.objects.get(year=2026)
    services.update_text(county.clerk, report, problems="无")
    with pytest.raises(ValidationError) as exc:
        services.submit(county.clerk, report)
    assert "2026年尚未结束，年度报告应在次年发布。" in exc.value.messages
    with pytest.raises(ValidationError):
        services.generate(county.clerk, county.civil, 2027)


def test_roles_and_the_organisation_boundary(report_2025, county):
    with pytest.raises(PermissionDenied):
        services.generate(county.west_clerk, county.civil, 2025)  # another township's clerk
    with pytest.raises(PermissionDenied):
        services.regenerate(county.west_clerk, report_2025)
    with pytest.raises(PermissionDenied):
        services.generate(county.reviewer, county.civil, 2024)  # reviewers review, they do not prepare
    services.update_text(county.clerk, report_2025, problems="无")
    services.submit(county.clerk, report_2025)
    with pytest.raises(PermissionDenied):
        services.publish(county.clerk, report_2025)  # clerks prepare, they do not publish
    with pytest.raises(PermissionDenied):
        services.publish(county.west_admin, report_2025)
    # The county's administrator works on its whole subtree.
    assert services.publish(county.admin, report_2025).state == ReportState.PUBLISHED
    with pytest.raises(ValidationError) as exc:
        services.generate(county.admin, county.village, 2025)
    assert "村（居）民委员会不单独编制" in exc.value.messages[0]


def test_a_subtree_report_and_the_organisations_own_report_live_side_by_side(county, today):
    own = services.generate(county.admin, county.gov, 2025, ReportScope.ORGANIZATION)
    whole = services.generate(county.admin, county.gov, 2025, ReportScope.SUBTREE)
    assert own.pk != whole.pk and whole.data["organizations"] == 5
    assert "含所属部门和乡镇（街道），共5个机构" in whole.overview
    again = services.generate(county.admin, county.gov, 2025, ReportScope.SUBTREE)
    assert again.pk == whole.pk and again.version == whole.version + 1

"""Table 二 figures and table 四 cases in the admin: entered inside one's own subtree, audited."""

import datetime as dt

from django.urls import reverse

from annual.models import CaseKind, CaseResult, ProactiveFigures, ReviewCase
from portal import audit


def test_a_clerk_enters_the_bureaus_figures_and_they_reach_table_two(client, county, today):
    from annual import services

    client.force_login(county.clerk)
    response = client.post(
        reverse("admin:annual_proactivefigures_add"),
        {
            "organization": county.civil.pk,
            "year": 2025,
            "licensing_decisions": 7,
            "penalty_decisions": 2,
            "enforcement_decisions": 0,
            "fees_amount": "0.35",
            "source_note": "政务服务平台",
        },
    )
    assert response.status_code == 302
    figures = ProactiveFigures.objects.get(organization=county.civil, year=2025)
    assert [e.verb for e in audit.entries_for(figures)] == ["新增"]
    report = services.generate(county.clerk, county.civil, 2025)
    assert (report.data["table2"]["licensing"], report.data["table2"]["fees_wan"]) == (7, "0.35")


def test_another_townships_staff_cannot_see_or_enter_the_bureaus_cases(client, county):
    case = ReviewCase.objects.create(
        organization=county.civil,
        kind=CaseKind.RECONSIDERATION,
        filed_on=dt.date(2025, 3, 1),
        case_number="（测试）复〔2025〕1号",
    )
    client.force_login(county.west_admin)
    listing = client.get(reverse("admin:annual_reviewcase_changelist")).content.decode()
    assert "（测试）复〔2025〕1号" not in listing
    response = client.get(reverse("admin:annual_reviewcase_change", args=[case.pk]))
    assert response.status_code == 302  # the admin says the object does not exist
    response = client.post(
        reverse("admin:annual_reviewcase_add"),
        {
            "organization": county.civil.pk,
            "kind": CaseKind.LITIGATION_DIRECT,
            "filed_on": "2025-04-01",
            "result": CaseResult.PENDING,
        },
    )
    assert response.status_code == 200 and not ReviewCase.objects.filter(kind=CaseKind.LITIGATION_DIRECT).exists()


def test_a_decided_case_needs_its_date_in_the_admin(client, county):
    client.force_login(county.officer)
    response = client.post(
        reverse("admin:annual_reviewcase_add"),
        {
            "organization": county.civil.pk,
            "kind": CaseKind.RECONSIDERATION,
            "filed_on": "2025-04-01",
            "result": CaseResult.UPHELD,
        },
    )
    assert "已审结的案件请填写审结日期。" in response.content.decode()
    assert not ReviewCase.objects.exists()

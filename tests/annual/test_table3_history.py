"""A hand-built history of requests, handled through the requests services, and its exact table 三.

Every cell of the bureau's 2025 table is asserted; the county's subtree
report adds the township's request; the bureau's 2026 table starts from what
2025 carried forward.
"""

import datetime as dt

import pytest

from annual import selectors, tables
from annual.models import ReportScope
from requests_app import services as rq
from requests_app.models import Outcome, RequestSettings

from .conftest import applicant

D = dt.date
COLS = ["natural", "business", "research", "public_interest", "legal_service", "other_org", "total"]


def reply(officer, req, outcome, on, basis=""):
    rq.begin_review(officer, req)
    rq.accept(officer, req, handler=officer)
    rq.reply(officer, req, outcome=outcome, decision="答复", legal_basis=basis or "条例", on=on)


@pytest.fixture
def history(county, intake, today):
    """Fourteen applications of the bureau and one of a township, 2024 to 2026."""
    o = county.officer
    RequestSettings.objects.create(organization=county.civil, charge_fees=True)
    # 1 received late 2024, disclosed January 2025: carried over, then （一）
    reply(o, intake(D(2024, 12, 20)), Outcome.DISCLOSED, D(2025, 1, 10))
    # 2 received late 2024, still open all 2025, answered 2026: carried over and carried forward
    reply(o, intake(D(2024, 12, 27), applicant_category="business"), Outcome.WITHHELD_PROCESS, D(2026, 1, 15))
    # 3 received and answered in 2024: not in 2025 at all
    reply(o, intake(D(2024, 11, 1)), Outcome.DISCLOSED, D(2024, 11, 20))
    # 4 partly disclosed
    reply(o, intake(D(2025, 3, 3)), Outcome.PARTIAL, D(2025, 3, 20))
    # 5 withheld to protect a third party, for a research institute
    reply(o, intake(D(2025, 4, 1), applicant_category="research"), Outcome.WITHHELD_THIRD_PARTY, D(2025, 4, 20))
    # 6 not held, for a law firm, after paying a fee by volume
    req = intake(D(2025, 5, 6), applicant_category="legal_service")
    rq.begin_review(o, req)
    rq.accept(o, req, handler=o)
    rq.issue_fee_notice(o, req, basis="per_volume", pages=40, on=D(2025, 5, 8))
    rq.record_fee_payment(o, req, on=D(2025, 5, 12))
    rq.reply(o, req, outcome=Outcome.UNAVAILABLE_NOT_HELD, decision="不掌握", legal_basis="条例", on=D(2025, 5, 20))
    # 7 never supplemented: （六）1
    req = intake(D(2025, 6, 2))
    rq.begin_review(o, req)
    rq.request_supplement(o, req, items="请写明文号", on=D(2025, 6, 3), deadline=D(2025, 6, 20))
    rq.close_unsupplemented(None, req, on=D(2025, 6, 23))
    # 8 withdrawn by a public-interest organisation: （六）3 其他 (project decision)
    rq.withdraw(intake(D(2025, 7, 1), applicant_category="public_interest"), on=D(2025, 7, 3))
    # 9 a repeat application: （五）2
    reply(o, intake(D(2025, 8, 1), applicant_category="other_org"), Outcome.NOT_HANDLED_REPEAT, D(2025, 8, 5))
    # 10 received on 29 December 2025, answered in January: carried forward
    reply(o, intake(D(2025, 12, 29)), Outcome.DISCLOSED, D(2026, 1, 5))
    # 11 fee never paid: （六）2
    req = intake(D(2025, 9, 1), applicant_category="business")
    rq.begin_review(o, req)
    rq.accept(o, req, handler=o)
    rq.issue_fee_notice(o, req, basis="per_volume", pages=120, on=D(2025, 9, 3))
    rq.close_unpaid(None, req, on=D(2025, 11, 10))
    # 12 an online application the office never confirmed, withdrawn: no receipt date, in no row
    req, _code = rq.submit_online(organization=county.civil, **applicant())
    rq.withdraw(req, on=D(2025, 10, 10))
    # 13 a state secret: （三）1
    reply(o, intake(D(2025, 10, 20)), Outcome.WITHHELD_STATE_SECRET, D(2025, 11, 3))
    # 14 received in 2026: not in 2025
    reply(o, intake(D(2026, 2, 2)), Outcome.DISCLOSED, D(2026, 2, 20))
    # 15 the township's own request, disclosed in 2025
    reply(
        county.east_officer,
        intake(D(2025, 2, 10), org=county.east, actor=county.east_officer),
        Outcome.DISCLOSED,
        D(2025, 2, 20),
    )
    return county


# The bureau's 2025 table 三, cell by cell, in the order of COLS. Rows not listed are all zero.
EXPECTED_BUREAU_2025 = {
    "received": [4, 1, 1, 1, 1, 1, 9],
    "carried_over": [1, 1, 0, 0, 0, 0, 2],
    "1": [1, 0, 0, 0, 0, 0, 1],
    "2": [1, 0, 0, 0, 0, 0, 1],
    "3": [1, 0, 1, 0, 0, 0, 2],
    "3.1": [1, 0, 0, 0, 0, 0, 1],
    "3.4": [0, 0, 1, 0, 0, 0, 1],
    "4": [0, 0, 0, 0, 1, 0, 1],
    "4.1": [0, 0, 0, 0, 1, 0, 1],
    "5": [0, 0, 0, 0, 0, 1, 1],
    "5.2": [0, 0, 0, 0, 0, 1, 1],
    "6": [1, 1, 0, 1, 0, 0, 3],
    "6.1": [1, 0, 0, 0, 0, 0, 1],
    "6.2": [0, 1, 0, 0, 0, 0, 1],
    "6.3": [0, 0, 0, 1, 0, 0, 1],
    "total": [4, 1, 1, 1, 1, 1, 9],
    "carried_forward": [1, 1, 0, 0, 0, 0, 2],
}


def as_rows(table):
    return {key: [table[key][c] for c in COLS] for key in tables.NUMBER_ROW_KEYS}


def test_the_bureaus_2025_table_three_cell_by_cell(history):
    table = selectors.table3(history.civil, ReportScope.ORGANIZATION, 2025)
    expected = {key: EXPECTED_BUREAU_2025.get(key, [0] * 7) for key in tables.NUMBER_ROW_KEYS}
    assert as_rows(table) == expected
    assert tables.table3_problems(table) == []


def test_the_county_subtree_adds_the_townships_request(history):
    table = selectors.table3(history.gov, ReportScope.SUBTREE, 2025)
    expected = {key: list(EXPECTED_BUREAU_2025.get(key, [0] * 7)) for key in tables.NUMBER_ROW_KEYS}
    for key in ("received", "1", "total"):
        expected[key][0] += 1
        expected[key][6] += 1
    assert as_rows(table) == expected
    # The county government alone received nothing.
    alone = selectors.table3(history.gov, ReportScope.ORGANIZATION, 2025)
    assert all(v == 0 for row in as_rows(alone).values() for v in row)


def test_next_year_starts_from_what_this_year_carried_forward(history):
    table_2026 = selectors.table3(history.civil, ReportScope.ORGANIZATION, 2026)
    assert [table_2026["carried_over"][c] for c in COLS] == EXPECTED_BUREAU_2025["carried_forward"]
    # 2 (process information) and 10 (disclosed) were answered in January 2026; 14 received and disclosed in 2026.
    assert table_2026["3.6"]["business"] == 1
    assert table_2026["1"]["natural"] == 2
    assert table_2026["received"]["total"] == 1
    assert table_2026["carried_forward"]["total"] == 0
    assert tables.table3_problems(table_2026) == []


def test_fees_charged_in_the_year_for_section_six(history):
    from requests_app.models import Request

    fees = selectors.fees(history.civil, ReportScope.ORGANIZATION, 2025)
    paid = Request.objects.get(fee_paid_on__isnull=False)
    assert fees == {"notices": 2, "paid": 1, "amount": f"{paid.fee_amount:.2f}"}
    assert paid.fee_amount > 0


def test_a_request_received_on_new_years_eve_is_carried_into_the_next_year(county, intake, today):
    req = intake(D(2025, 12, 31))
    table = selectors.table3(county.civil, ReportScope.ORGANIZATION, 2025)
    assert table["received"]["total"] == 1 and table["carried_forward"]["total"] == 1
    assert selectors.table3(county.civil, ReportScope.ORGANIZATION, 2026)["carried_over"]["total"] == 1
    assert req.receipt_date == D(2025, 12, 31)

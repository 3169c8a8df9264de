"""Balance by construction: random request histories over several years always give a balanced
table 三, equal to a plain recount, and each year carries into the next exactly what it left open.
A tampered table is refused with the cell named."""

import copy
import datetime as dt

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annual import selectors, tables
from annual.models import ReportScope
from requests_app.models import ApplicantCategory, Outcome, Request

from .conftest import request_row

YEARS = [2023, 2024, 2025]
FIRST, LAST = dt.date(2022, 10, 1), dt.date(2026, 3, 31)
SPAN = (LAST - FIRST).days

# Year ends are where counting rules go wrong, so dates cluster there as often as not.
BOUNDARIES = [dt.date(y, m, d) for y in range(2022, 2027) for m, d in ((1, 1), (1, 2), (12, 30), (12, 31))]
a_date = st.one_of(st.integers(0, SPAN).map(lambda n: FIRST + dt.timedelta(days=n)), st.sampled_from(BOUNDARIES))

# One request: where (0 bureau, 1 township, 2 village under the township), category, receipt date
# (None: an online application never confirmed), conclusion date (None: still open), outcome.
a_request = st.tuples(
    st.integers(0, 2),
    st.sampled_from(ApplicantCategory.values),
    st.one_of(st.none(), a_date),
    st.one_of(st.none(), a_date),
    st.sampled_from(Outcome.values + [""]),
)


def recount(history, year, orgs):
    """The counting rules of annual-report.md, applied row by row in Python."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    counts = {key: {c: 0 for c in tables.CATEGORY_KEYS} for key in ("received", "carried_over", "forward")}
    concluded = {}
    for where, category, receipt, concluded_on, outcome in history:
        if where not in orgs or receipt is None or receipt > end:
            continue
        if receipt >= start:
            counts["received"][category] += 1
        elif concluded_on is None or concluded_on >= start:
            counts["carried_over"][category] += 1
        else:
            continue
        if concluded_on is not None and concluded_on <= end:
            row = concluded.setdefault(outcome or Outcome.OTHER.value, {})
            row[category] = row.get(category, 0) + 1
        else:
            counts["forward"][category] += 1
    return tables.build_table3(counts["received"], counts["carried_over"], concluded, counts["forward"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.lists(a_request, max_size=40))
def test_random_histories_balance_and_match_a_plain_recount(county, raw):
    orgs = [county.civil, county.east, county.village]
    history = []
    for where, category, receipt, concluded_on, outcome in raw:
        if receipt is None or concluded_on is None:
            concluded_on = None
        else:
            concluded_on = max(receipt, concluded_on)  # a request is never concluded before it arrives
        history.append((where, category, receipt, concluded_on, outcome if concluded_on else ""))
    with transaction.atomic():
        Request.objects.bulk_create(
            [
                request_row(orgs[where], receipt=receipt, concluded=concluded_on, outcome=outcome, category=category)
                for where, category, receipt, concluded_on, outcome in history
            ]
        )
        for year in YEARS:
            bureau = selectors.table3(county.civil, ReportScope.ORGANIZATION, year)
            township = selectors.table3(county.east, ReportScope.SUBTREE, year)
            county_wide = selectors.table3(county.gov, ReportScope.SUBTREE, year)
            for table in (bureau, township, county_wide):
                assert tables.table3_problems(table) == []
            assert bureau == recount(history, year, {0})
            assert township == recount(history, year, {1, 2})
            assert county_wide == recount(history, year, {0, 1, 2})
            following = selectors.table3(county.gov, ReportScope.SUBTREE, year + 1)
            assert following["carried_over"] == county_wide["carried_forward"]
        transaction.set_rollback(True)


def balanced_table():
    received = {"natural": 3, "business": 1}
    concluded = {"1": {"natural": 1}, "3.4": {"business": 1}, "6.3": {"natural": 1}}
    return tables.build_table3(received, {"natural": 1}, concluded, {"natural": 2})


def test_a_built_table_balances():
    table = balanced_table()
    assert tables.table3_problems(table) == []
    assert table["3"]["business"] == 1 and table["total"]["total"] == 3


def test_a_sub_row_that_disagrees_with_its_group_is_named():
    table = copy.deepcopy(balanced_table())
    table["3.4"]["business"] = 2
    table["3.4"]["total"] = 2
    problems = tables.table3_problems(table)
    assert any("“（三）不予公开”行“商业企业”列" in p and "各分项之和应为 2，实为 1" in p for p in problems)


def test_a_column_that_does_not_balance_is_named():
    table = copy.deepcopy(balanced_table())
    table["carried_forward"]["natural"] = 1
    table["carried_forward"]["total"] = 1
    problems = tables.table3_problems(table)
    assert problems == [
        "表三“自然人”列不平衡：第一项加第二项之和为 4，第三项（七）总计加第四项之和为 3。",
        "表三“总计”列不平衡：第一项加第二项之和为 5，第三项（七）总计加第四项之和为 4。",
    ]


def test_a_wrong_total_column_and_a_wrong_grand_total_are_named():
    table = copy.deepcopy(balanced_table())
    table["received"]["total"] = 7
    table["total"]["natural"] = 9
    problems = tables.table3_problems(table)
    assert "表三“一、本年新收政府信息公开申请数量”行“总计”列：各类申请人之和应为 4，实为 7。" in problems
    assert "表三“（七）总计”行“自然人”列：（一）至（六）之和应为 2，实为 9。" in problems


def test_a_negative_or_missing_number_is_named():
    table = copy.deepcopy(balanced_table())
    table["5.1"]["research"] = -1
    del table["2"]["legal_service"]
    problems = tables.table3_problems(table)
    assert any(p.startswith("表三“1.信访举报投诉类申请”行“科研机构”列：应为非负整数") for p in problems)
    assert any(
        p.startswith("表三“（二）部分公开（区分处理的，只计这一情形，不计其他情形）”行“法律服务机构”列")
        for p in problems
    )

"""Entering a new year's State Council schedule through the admin."""

import datetime as dt

import pytest

from portal.models import AuditEntry, CalendarDay, CalendarSource, DayKind, OrganizationKind, Role, ScheduleYear
from portal.workdays import add_working_days

ADD_URL = "/admin/portal/scheduleyear/add/"
DAYS_OFF = """\
2027-01-01 元旦
2027-02-05~2027-02-11 春节
2027-10-01~2027-10-07 国庆节
"""
WORKDAYS = """\
2027-02-20 春节调休
09-26 国庆节调休
"""


@pytest.fixture
def county(make_org):
    return make_org("测试县人民政府")


@pytest.fixture
def superuser(county, django_user_model):
    return django_user_model.objects.create_superuser("root", password="pw-for-tests", organization=county)


@pytest.fixture
def county_admin(county, make_user):
    return make_user("gk", county, Role.ORG_ADMIN)


@pytest.fixture
def township_admin(county, make_org, make_user):
    town = make_org("测试镇人民政府", parent=county, kind=OrganizationKind.TOWNSHIP)
    return make_user("town_gk", town, Role.ORG_ADMIN)


def post_schedule(client, year=2027, days_off=DAYS_OFF, workdays=WORKDAYS, notice="国办发明电〔2026〕1号（测试）"):
    return client.post(
        ADD_URL, {"year": year, "notice": notice, "days_off": days_off, "workdays": workdays, "_save": "保存"}
    )


def nothing_stored(year=2027):
    return (
        not ScheduleYear.objects.filter(year=year).exists() and not CalendarDay.objects.filter(date__year=year).exists()
    )


@pytest.mark.parametrize("who", ["superuser", "county_admin"])
def test_a_schedule_entered_in_the_admin_drives_the_deadlines(client, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    page = client.get(ADD_URL)
    assert page.status_code == 200
    assert "放假日期" in page.content.decode() and "调休上班日期" in page.content.decode()

    assert add_working_days(dt.date(2027, 9, 30), 1).provisional
    response = post_schedule(client)
    assert response.status_code == 302, response.content.decode()

    schedule = ScheduleYear.objects.get(year=2027)
    assert schedule.source == CalendarSource.ADMIN
    assert schedule.notice == "国办发明电〔2026〕1号（测试）"
    assert CalendarDay.objects.filter(date__year=2027, kind=DayKind.DAY_OFF).count() == 1 + 7 + 7
    assert CalendarDay.objects.get(date=dt.date(2027, 9, 26)).kind == DayKind.WORKDAY
    deadline = add_working_days(dt.date(2027, 9, 30), 1)
    assert deadline == dt.date(2027, 10, 8) and not deadline.provisional

    entry = AuditEntry.objects.get(object_id=str(schedule.pk), content_type__model="scheduleyear")
    assert entry.actor == user
    assert entry.verb == "录入年度放假安排"
    assert "放假15天" in entry.comment and "调休上班2天" in entry.comment

    change = client.get(f"/admin/portal/scheduleyear/{schedule.pk}/change/")
    assert change.status_code == 200
    assert "录入年度放假安排" in change.content.decode()  # the audit trail on the object's page


def test_entering_a_year_again_replaces_it(client, county_admin):
    client.force_login(county_admin)
    assert post_schedule(client).status_code == 302
    response = post_schedule(client, days_off="10月1日至5日 国庆节", workdays="")
    assert response.status_code == 302
    assert ScheduleYear.objects.filter(year=2027).count() == 1
    assert sorted(CalendarDay.objects.filter(date__year=2027).values_list("date", flat=True)) == [
        dt.date(2027, 10, d) for d in range(1, 6)
    ]
    assert AuditEntry.objects.filter(event="portal.schedule_update").count() == 1


@pytest.mark.parametrize(
    "days_off,workdays,expected",
    [
        (DAYS_OFF + "国庆节放假\n", WORKDAYS, ["放假日期第4行", "无法识别"]),
        ("2027-01-01 元旦\n2027-02-30 春节\n", "", ["放假日期第2行", "不存在"]),
        ("2027-01-01 元旦\n2026-10-01~2026-10-07 国庆节\n", "", ["放假日期第2行", "不在2027年内"]),
        ("2027-01-01 元旦\n2027-10-07~2027-10-01 国庆节\n", "", ["放假日期第2行", "颠倒"]),
        (
            DAYS_OFF,
            "2027-02-20 春节调休\n2027-10-02 国庆节调休\n",
            ["2027-10-02", "放假日期第3行", "调休上班日期第2行", "既放假又上班"],
        ),
        (DAYS_OFF, "2027-09-27 国庆节调休\n", ["调休上班日期第1行", "星期一", "本来就是工作日"]),
        (DAYS_OFF, "13-01 调休\n", ["调休上班日期第1行", "不存在"]),
        (DAYS_OFF, "国庆节调休\n", ["调休上班日期第1行", "无法识别", "应写成“2027-09-26 国庆节调休”"]),
        ("2027-10-01 " + "国庆" * 30 + "\n", "", ["放假日期第1行", "超过50个字"]),
        ("", "", ["这个字段是必填项"]),
    ],
)
def test_a_bad_schedule_is_refused_with_a_message_naming_the_line(client, county_admin, days_off, workdays, expected):
    client.force_login(county_admin)
    response = post_schedule(client, days_off=days_off, workdays=workdays)
    assert response.status_code == 200
    text = response.content.decode()
    for words in expected:
        assert words in text
    assert nothing_stored()
    assert not AuditEntry.objects.exclude(content_type=None).exists()


def test_every_bad_line_is_named_at_once(client, county_admin):
    client.force_login(county_admin)
    response = post_schedule(client, days_off="2027-01-01 元旦\n十月一日 国庆\n2027-02-30 春节\n", workdays="")
    text = response.content.decode()
    assert "放假日期第2行" in text and "放假日期第3行" in text
    assert nothing_stored()


def test_an_overlapping_line_is_merged_rather_than_failing(client, county_admin):
    client.force_login(county_admin)
    response = post_schedule(client, days_off="2027-10-01~2027-10-07 国庆节\n2027-10-05 中秋节\n", workdays="")
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=dt.date(2027, 10, 5)).name == "国庆节、中秋节"
    assert CalendarDay.objects.filter(date__year=2027).count() == 7


@pytest.mark.parametrize("year", [0, 99999])
def test_an_impossible_year_is_refused(client, county_admin, year):
    client.force_login(county_admin)
    response = post_schedule(client, year=year, days_off="10-01 国庆节", workdays="")
    assert response.status_code == 200
    assert "年份" in response.content.decode()
    assert not ScheduleYear.objects.filter(year=year).exists()


def test_a_township_admin_cannot_change_the_county_calendar(client, township_admin):
    client.force_login(township_admin)
    assert client.get(ADD_URL).status_code == 403
    assert post_schedule(client).status_code == 403
    assert nothing_stored()
    assert client.get("/admin/portal/calendarday/add/").status_code == 403
    day = CalendarDay.objects.filter(date__year=2026).first()
    response = client.post(
        f"/admin/portal/calendarday/{day.pk}/change/",
        {"date": "2026-03-03", "kind": DayKind.DAY_OFF, "name": "乱改", "source": "local"},
    )
    assert response.status_code == 403
    day.refresh_from_db()
    assert day.name != "乱改"


def test_a_staff_user_without_a_role_cannot_reach_the_calendar(client, county, make_user):
    client.force_login(make_user("nobody", county))
    assert client.get(ADD_URL).status_code == 403
    assert post_schedule(client).status_code == 403
    assert nothing_stored()


def test_a_local_day_off_added_in_the_admin_is_local_and_audited(client, county_admin):
    client.force_login(county_admin)
    response = client.post(
        "/admin/portal/calendarday/add/",
        {
            "date": "2027-11-15",
            "kind": DayKind.DAY_OFF,
            "name": "本县纪念日（测试）",
            "source": "package",
            "_save": "保存",
        },
    )
    assert response.status_code == 302, response.content.decode()
    day = CalendarDay.objects.get(date=dt.date(2027, 11, 15))
    assert day.source == CalendarSource.LOCAL  # an org admin cannot pass a day off as package data
    assert AuditEntry.objects.filter(object_id=str(day.pk), event="add", actor=county_admin).exists()
    assert add_working_days(dt.date(2027, 11, 12), 1) == dt.date(2027, 11, 16)
    assert post_schedule(client).status_code == 302
    assert CalendarDay.objects.get(date=dt.date(2027, 11, 15)).source == CalendarSource.LOCAL

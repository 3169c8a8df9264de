"""A small county for the interaction tests: two townships, officers by role, a fixed "today"."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.models import OrganizationKind, Role

TODAY = dt.date(2026, 6, 1)  # a Monday with no holiday near it

DRAFT = (
    "第一章 总则\n第一条 为了规范示范县农村人居环境整治，制定本办法。\n"
    "第二条 本办法适用于本县行政区域。\n附则说明文字。"
)

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _number(words):
    if len(words) == 1:
        return DIGITS[words]
    if words.startswith("十"):
        return 10 + DIGITS[words[1:]]
    tens, _, ones = words.partition("十")
    return DIGITS[tens] * 10 + (DIGITS[ones] if ones else 0)


def solve(html):
    """Answer the anti-spam question the way a person reads it."""
    question = re.search(r'<span class="rq-question">(.+?)等于几？</span>', html).group(1)
    if "加" in question:
        a, b = question.split("加")
        return str(_number(a) + _number(b))
    a, b = question.split("减")
    return str(_number(a) - _number(b))


def token_of(html):
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def pdf_upload(name="草案.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


class County:
    pass


@pytest.fixture(autouse=True)
def _forms(settings, tmp_path):
    settings.REQUESTS_FORM_MIN_SECONDS = 0
    settings.DISCLOSURE_FILES_ROOT = tmp_path / "files"


@pytest.fixture
def today(monkeypatch):
    """Pin the clock's "today" (requests_app.clock, which every deadline of the portal reads)."""
    from requests_app import clock

    state = {"date": TODAY}
    monkeypatch.setattr(clock, "today", lambda: state["date"])

    def move(date):
        state["date"] = date
        return date

    move.date = lambda: state["date"]
    return move


@pytest.fixture
def county(make_org, make_user):
    c = County()
    c.county = make_org("测试县人民政府", short_name="测试县")
    c.civil = make_org("测试县民政局", parent=c.county, kind=OrganizationKind.DEPARTMENT, short_name="县民政局")
    c.town = make_org("测试县城关镇人民政府", parent=c.county, kind=OrganizationKind.TOWNSHIP, short_name="城关镇")
    c.other_town = make_org(
        "测试县河西乡人民政府", parent=c.county, kind=OrganizationKind.TOWNSHIP, short_name="河西乡"
    )
    for org in (c.county, c.civil, c.town, c.other_town):
        org.refresh_from_db()
    c.clerk = make_user("t_clerk", c.town, Role.CLERK, full_name="录入甲")
    c.clerk2 = make_user("t_clerk2", c.town, Role.CLERK, full_name="录入丙")
    c.reviewer = make_user("t_reviewer", c.town, Role.REVIEWER, full_name="审核乙")
    c.civil_clerk = make_user("t_civil_clerk", c.civil, Role.CLERK)
    c.county_admin = make_user("t_county_admin", c.county, Role.ORG_ADMIN)
    c.county_clerk = make_user("t_county_clerk", c.county, Role.CLERK)
    c.other_clerk = make_user("t_other_clerk", c.other_town, Role.CLERK)
    c.other_admin = make_user("t_other_admin", c.other_town, Role.ORG_ADMIN)
    c.other_reviewer = make_user("t_other_reviewer", c.other_town, Role.REVIEWER)
    c.other_officer = make_user("t_other_officer", c.other_town, Role.REQUEST_OFFICER)
    return c


@pytest.fixture
def published_item(county):
    """A published disclosure item of 城关镇 (the final policy), through disclosure's own steps."""
    from disclosure import services

    def make(title="示范县城关镇农村人居环境整治办法", organization=None):
        org = organization or county.town
        clerk = county.clerk if org == county.town else county.county_clerk
        item = services.create_draft(
            clerk, org, title=title, body="<p>第一条 为了规范……</p>", formed_on=dt.date(2026, 5, 20)
        )
        services.submit(clerk, item)
        reviewer = county.reviewer if org == county.town else county.county_admin
        services.sign_off_confidentiality(reviewer, item, note="不涉密")
        item = services.publish(reviewer, item)
        item.refresh_from_db()
        return item

    return make


@pytest.fixture
def make_consultation(county, today):
    from consultations import services

    def make(publish=True, days=30, reason="", organization=None, actor=None, **fields):
        start = fields.pop("starts_on", today.date())
        data = {
            "title": "示范县城关镇农村人居环境整治办法（征求意见稿）",
            "draft_text": DRAFT,
            "explanation": "为改善农村人居环境，起草本办法。",
            "starts_on": start,
            "ends_on": start + dt.timedelta(days=days - 1),
            "short_period_reason": reason,
            "accepts_online": True,
            "email": "yjzj@example.invalid",
            "postal_address": "测试县城关镇示范路1号（虚构）",
        }
        data.update(fields)
        consultation = services.create(actor or county.clerk, organization or county.town, **data)
        if publish:
            consultation = services.publish(actor or county.clerk, consultation)
        return consultation

    return make

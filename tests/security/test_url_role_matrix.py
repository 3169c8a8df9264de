"""Generated from the URL resolver and the demo county: every URL, requested as anonymous and as
each role of 河西乡, GET and POST, shows nothing of the other organisations that is not public and
changes nothing (issue 11: the penetration test's URL × role matrix, kept in the suite).

The attackers hold each staff role in 河西乡. Every URL pattern is tried with the ids of other
organisations' objects (城关镇's and the county departments' requests, notices, files, drafts and
reports) in its path parameters. A response must not contain any of those organisations'
non-public strings: tracking and registration numbers, applicants' names, ID numbers and phones,
internal notes, unpublished titles, subscribers' e-mails. Before and after each role's POSTs every
table is fingerprinted (row count and a hash of all rows); the whole test runs in one transaction
that is rolled back at the end.
"""

import hashlib
import io
import logging

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client

from portal.models import Organization, Role, User

from .urlwalk import routes

ROLES = [Role.CLERK, Role.REVIEWER, Role.REQUEST_OFFICER, Role.ORG_ADMIN]
# Security events may be written for a refused attempt; sessions change on every request.
UNFINGERPRINTED = {"portal.auditentry", "sessions.session"}
UNFINGERPRINTED_APPS = {"axes", "otp_totp", "otp_static", "django_otp"}
# Anyone may subscribe: a new (unconfirmed) subscription is not a change of another office's data.
PUBLIC_WRITES = {"/zwgk/xxgk/subscribe/"}
POST_DATA = {
    "text": "越权测试",
    "comment": "越权测试",
    "reason": "越权测试",
    "note": "越权测试",
    "confirm": "on",
    "decision": "越权测试",
    "items": "越权测试",
    "party": "越权测试",
    "days": "5",
    "method": "post",
    "outcome": "1",
    "title": "越权测试",
    "body": "越权测试",
    "post": "yes",
    "_save": "1",
    "version": "1",
    "email": "attacker@example.invalid",
    "kind": "internal",
    "organization": "",
    "answer": "1",
}


@pytest.fixture(autouse=True)
def _quiet_logs():
    loggers = [logging.getLogger(n) for n in ("django.request", "django.security")]
    saved = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    yield
    for lg, level in zip(loggers, saved):
        lg.setLevel(level)


def fingerprint():
    result = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in UNFINGERPRINTED or model._meta.app_label in UNFINGERPRINTED_APPS or not model._meta.managed:
            continue
        rows = list(model._base_manager.order_by("pk").values_list())
        result[label] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return result


def foreign_world(own):
    """What 河西乡's staff must not see: other organisations' objects and their non-public strings."""
    from annual.models import AnnualReport
    from disclosure.models import DisclosureItem, ItemState, Subscription
    from requests_app.models import Notice, Request, RequestFile, RequestNote

    own_pks = set(own.get_descendants(include_self=True).values_list("pk", flat=True))
    requests = Request.objects.exclude(organization__in=own_pks)
    secrets = set()
    for req in requests:
        secrets.update(
            [req.tracking_number, req.registration_number or "", req.applicant_name, req.id_number, req.phone]
        )
    secrets.update(RequestNote.objects.filter(request__in=requests).values_list("text", flat=True))
    # Never public: drafts, items under review or scheduled, withheld ones. (A withdrawn item was
    # public; its page becomes a tombstone that names it, by design.)
    hidden = DisclosureItem.objects.exclude(organization__in=own_pks).filter(
        state__in=(ItemState.DRAFT, ItemState.SUBMITTED, ItemState.RETURNED, ItemState.SCHEDULED, ItemState.WITHHELD)
    )
    public_titles = set(
        DisclosureItem.objects.exclude(
            state__in=(
                ItemState.DRAFT,
                ItemState.SUBMITTED,
                ItemState.RETURNED,
                ItemState.SCHEDULED,
                ItemState.WITHHELD,
            )
        ).values_list("title", flat=True)
    )
    secrets.update(t for t in hidden.values_list("title", flat=True) if t not in public_titles)
    secrets.update(Subscription.objects.values_list("email", flat=True))
    # 意见征集 and 我要纠错: comments not (yet) shown, commenters' and reporters' details, drafts, reports.
    from consultations.models import Comment, CommentState, Consultation, ConsultationState
    from corrections.models import ErrorReport

    consultations = Consultation.objects.exclude(organization__in=own_pks)
    comments = Comment.objects.filter(consultation__in=consultations)
    shown = set(comments.filter(state=CommentState.PUBLISHED).values_list("body", flat=True))
    secrets.update(
        b for b in comments.exclude(state=CommentState.PUBLISHED).values_list("body", flat=True) if b not in shown
    )
    secrets.update(comments.values_list("contact", flat=True))
    secrets.update(consultations.filter(state=ConsultationState.DRAFT).values_list("title", flat=True))
    reports = ErrorReport.objects.exclude(organization__in=own_pks)
    for report in reports:
        secrets.update([report.reference, report.description, report.contact])
    secrets = {s for s in secrets if s and len(s) >= 6}
    ids = {
        "request": list(requests.values_list("pk", flat=True)[:3]),
        "notice": list(Notice.objects.filter(request__in=requests).values_list("pk", flat=True)[:2]),
        "file": list(RequestFile.objects.filter(request__in=requests).values_list("pk", flat=True)[:2]),
        "item": list(hidden.values_list("pk", flat=True)[:3]),
        "published": list(
            DisclosureItem.objects.exclude(organization__in=own_pks).public().values_list("pk", flat=True)[:1]
        ),
        "report": list(AnnualReport.objects.exclude(organization__in=own_pks).values_list("pk", flat=True)[:2]),
        "org": list(Organization.objects.exclude(pk__in=own_pks).exclude(parent=None).values_list("pk", flat=True)[:2]),
        "tracking": list(requests.values_list("tracking_number", flat=True)[:2]),
        "user": list(User.objects.exclude(organization__in=own_pks).values_list("pk", flat=True)[:2]),
        "subscription": list(Subscription.objects.values_list("pk", flat=True)[:1]),
        "consultation": list(consultations.values_list("pk", flat=True)[:2]),
        "comment": list(comments.values_list("pk", flat=True)[:2]),
        "errorreport": list(reports.values_list("pk", flat=True)[:2]),
    }
    return secrets, ids


def candidate_urls(route, ids):
    """The route with other organisations' ids in its parameters (or its only form when it has none)."""
    t = route.template
    if not route.params:
        return [t]
    if route.template.startswith("/admin/"):
        if "object_id" not in route.params:
            return []
        model = t.split("/")[3] if t.count("/") > 4 else ""
        kind = {
            "request": "request",
            "notice": "notice",
            "disclosureitem": "item",
            "annualreport": "report",
            "organization": "org",
            "user": "user",
            "subscription": "subscription",
        }.get(model)
        return [route.build(object_id=str(pk)) for pk in ids.get(kind, [])] if kind else []
    if t.startswith("/staff/requests/notices/"):
        return [route.build(pk=str(pk)) for pk in ids["notice"]]
    if t.startswith("/staff/requests/files/"):
        return [route.build(pk=str(pk)) for pk in ids["file"]]
    if t.startswith("/staff/requests/"):
        verbs = ["reply", "withdraw", "accept"] if "verb" in route.params else [None]
        return [route.build(pk=str(pk), **({"verb": v} if v else {})) for pk in ids["request"] for v in verbs]
    if t.startswith("/gkgl/"):
        actions = ["submit", "publish", "withdraw"] if "action" in route.params else [None]
        return [
            route.build(pk=str(pk), attachment_pk="1", **({"action": a} if a else {}))
            for pk in ids["item"]
            for a in actions
        ]
    if t.startswith("/staff/annual/") or t.startswith("/zwgk/annual-reports/"):
        if "pk" in route.params:
            return [route.build(pk=str(pk), verb="publish") for pk in ids["report"]]
        return [route.build()]
    if t.startswith("/staff/consultations/comments/"):
        return [route.build(pk=str(pk), verb="approve") for pk in ids["comment"]]
    if t.startswith("/staff/consultations/") or t.startswith("/hdjl/yjzj/"):
        return [route.build(pk=str(pk), verb="close") for pk in ids["consultation"]]
    if t.startswith("/staff/corrections/"):
        return [route.build(pk=str(pk), verb="fix") for pk in ids["errorreport"]]
    if t.startswith("/ysqgk/status/"):
        return [route.build(number=n, pk=str(pk)) for n in ids["tracking"] for pk in (ids["notice"] + ids["file"])[:2]]
    if t.startswith("/zwgk/xxgk/item/") or t.startswith("/zwgk/xxgk/file/"):
        return [route.build(pk=str(pk)) for pk in ids["item"]]
    if "/org/" in t:
        return [route.build(pk=str(pk)) for pk in ids["org"]]
    return [route.build()]


def text_of(response):
    kind = response.get("Content-Type", "")
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    if "spreadsheetml" in kind:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True)
        return " ".join(
            str(v)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for v in row
            if v is not None
        )
    if "pdf" in kind:
        return ""  # compressed text; the PDF routes are checked through their HTML twins
    return content.decode("utf-8", "replace")


def leaks(response, secrets, url):
    """Secrets in the body, except those the URL itself carries (a page may echo its own address)."""
    body = text_of(response)
    return sorted(s for s in secrets if s in body and s not in url)


def probe(client, method, url, data, label, secrets, problems):
    try:
        with transaction.atomic():
            response = client.get(url) if method == "get" else client.post(url, data)
    except Exception as exc:  # noqa: BLE001
        problems.append(f"{label} {method.upper()} {url}: {type(exc).__name__}: {exc}"[:300])
        return
    if response.status_code >= 500:
        problems.append(f"{label} {method.upper()} {url}: HTTP {response.status_code}")
    found = leaks(response, secrets, url)
    if found:
        problems.append(f"{label} {method.upper()} {url}: shows {found[:3]}")


@pytest.mark.django_db
def test_no_role_of_another_organisation_sees_or_changes_foreign_data(demo_county):
    from disclosure.models import Subscription

    hexi = Organization.objects.get(short_name="河西乡")
    # The demo has no subscribers; a citizen following 城关镇 is nobody's business in 河西乡.
    Subscription.objects.create(
        email="cg-follower@example.invalid", organization=Organization.objects.get(short_name="城关镇")
    )
    secrets, ids = foreign_world(hexi)
    assert len(secrets) > 20 and ids["request"] and ids["item"] and ids["notice"], (len(secrets), ids)
    users = {"anonymous": None}
    for role in ROLES:
        user = User.objects.create_user(
            f"hx_matrix_{role.name.lower()}", password="pw-for-tests", organization=hexi, is_staff=True
        )
        user.groups.add(Group.objects.get(name=role.value))
        users[role.label] = user
    all_routes = [r for r in routes(skip=("/i18n/",)) if not r.name.endswith("pdf")]
    urls = sorted({u for r in all_routes for u in candidate_urls(r, ids)})
    assert len(urls) > 150
    problems = []
    for label, user in users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        for url in urls:
            probe(client, "get", url, None, label, secrets, problems)
        before = fingerprint()
        data = {
            **POST_DATA,
            "_selected_action": [str(pk) for pk in ids["request"] + ids["item"]],
            "action": "delete_selected",
            "organization": str(ids["org"][0]),
        }
        for url in urls:
            if url in PUBLIC_WRITES:
                continue
            probe(client, "post", url, data, label, secrets, problems)
        after = fingerprint()
        changed = sorted(t for t in before if before[t] != after.get(t))
        if changed:
            problems.append(f"{label}: POSTs changed {changed}")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:80])

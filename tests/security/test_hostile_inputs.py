"""Generated from the URL resolver: no hostile value in any path or query parameter, GET or POST,
anonymous or staff, reaches a server error (finding 10 of the penetration test).

Every URL pattern gets each hostile value in each path parameter (the others plausible), then
the common query parameters and every form field name the portal knows all set to one hostile
value at a time, and a POST whose body declares ``charset=gbk`` but is not GBK. Each request
runs in a savepoint that is rolled back, so one hostile POST cannot change what the next sees
and the whole walk shares one demo county.
"""

import logging
from urllib.parse import quote, unquote_to_bytes

import pytest
from django.db import transaction
from django.test import Client

from portal.models import User

from .conftest import form_field_names
from .urlwalk import routes

HUGE = "9" * 30
HOSTILE_PATH = {
    "nul": "%00",
    "superscript": quote("²"),
    "huge": HUGE,
    "zero": "0",
    "long": "a" * 10_000,
    "fullwidth": quote("１２"),
    "bad_utf8": "%FF%FE",
}
HOSTILE_QUERY = [
    # One round per value; in the last round the parameters take turns at the numeric edge cases.
    ["1%00"],
    [quote("²")],
    [HUGE],
    [quote("字") * 3_400],  # ~10 KB of text
    [quote("１２")],
    ["%FF%FE"],
    ["0", "-1", "1e30", quote("١٢")],
]
# The same for a form, in three rounds (each field takes turns; a long value kept at 2 KB so the
# whole body stays under Django's upload limit).
HOSTILE_POST = [
    ["1%00", quote("²"), HUGE],
    [quote("字") * 700, quote("１２"), "%FF%FE"],
    ["0", "-1", "1e30"],
]
POST_PATH_KINDS = {"nul", "huge", "superscript"}
QUERY_NAMES = [
    "page",
    "year",
    "org",
    "q",
    "state",
    "number",
    "domain",
    "entry",
    "sub",
    "token",
    "kind",
    "status",
    "o",
    "p",
    "e",
    "type",
    "format",
    "tracking_number",
    "pk",
    "id",
    "next",
    "verb",
    "from",
    "to",
    "level",
    "validity",
    "category",
    "handler",
]
# The admin's search and changelist ordering ("o"), and everything the public pages read.
SKIP = ("/i18n/",)


def fire(client, method, url, failures, label, **kwargs):
    try:
        with transaction.atomic():
            if method == "generic":
                response = client.generic(kwargs.pop("http_method"), url, **kwargs)
            else:
                response = getattr(client, method)(url, **kwargs)
            transaction.set_rollback(True)
    except Exception as exc:  # noqa: BLE001 - every exception is a finding
        failures.append(f"{label} {method.upper()} {url[:160]}: {type(exc).__name__}: {str(exc)[:200]}")
        return
    if response.status_code >= 500:
        failures.append(f"{label} {method.upper()} {url[:160]}: HTTP {response.status_code}")


@pytest.fixture(autouse=True)
def _quiet_logs():
    """Thousands of expected 400s and 404s: their log lines are noise here (a 500 is caught below)."""
    loggers = [logging.getLogger(n) for n in ("django.request", "django.security")]
    saved = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    yield
    for lg, level in zip(loggers, saved):
        lg.setLevel(level)


def slug_choices():
    """Real values for the slugs that pick a form or a table, so those forms get hostile POSTs too."""
    from annual import stats
    from annual.staff_views import ACTIONS
    from requests_app.staff_actions import ACTIONS as REQUEST_ACTIONS

    return {
        "verb": sorted(set(REQUEST_ACTIONS) | set(ACTIONS)),
        "action": ["submit", "sign-off", "publish", "return", "withhold", "withdraw", "revise"],
        "name": [name for name in stats.PUBLIC_TABLES][:4],
    }


# The walk in shards (every SHARDS-th route), so the test processes share it.
SHARDS = 6


def walk(client, label, shard=0):
    failures = []
    all_routes = [r for r in routes(skip=SKIP)][shard::SHARDS]
    post_fields = form_field_names()
    choices = slug_choices()
    for route in all_routes:
        # 1. Each path parameter in turn gets each hostile value.
        for name in route.params:
            for kind, value in HOSTILE_PATH.items():
                url = route.build(**{name: value})
                fire(client, "get", url, failures, label)
                if kind in POST_PATH_KINDS:
                    fire(client, "post", url, failures, label, data={"x": "1"})
        if route.name.endswith("pdf"):
            # A PDF takes WeasyPrint a second to lay out and reads no parameter but its path.
            continue
        bases = [route.build()] + [
            route.build(**{name: value}) for name in route.params if name in choices for value in choices[name]
        ]
        for base in bases:
            hostile_parameters(client, base, post_fields, failures, label)
    return failures


def hostile_parameters(client, base, post_fields, failures, label):
    # 2. The common query parameters, then every form field, all at one hostile value.
    for values in HOSTILE_QUERY:
        query = "&".join(f"{n}={values[i % len(values)]}" for i, n in enumerate(QUERY_NAMES))
        fire(client, "get", f"{base}?{query}", failures, label)
    for values in HOSTILE_POST:
        body = b"&".join(
            n.encode() + b"=" + quote(unquote_to_bytes(values[i % len(values)]), safe="").encode()
            for i, n in enumerate(post_fields)
        )
        fire(client, "post", base, failures, label, data=body, content_type="application/x-www-form-urlencoded")
    # 3. A form that says it is GBK but is not.
    fire(
        client,
        "generic",
        base,
        failures,
        label,
        http_method="POST",
        data=b"title=\x81\x20&q=\xff\xfe&name=%FF",
        content_type="application/x-www-form-urlencoded; charset=gbk",
    )
    fire(
        client,
        "generic",
        base,
        failures,
        label,
        http_method="POST",
        data=b"q=1",
        content_type="application/x-www-form-urlencoded; charset=no-such-charset",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_hostile_value_reaches_a_server_error_anonymous(demo_county, shard):
    failures = walk(Client(), "anonymous", shard)
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:60])


@pytest.mark.django_db
@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_hostile_value_reaches_a_server_error_as_staff(demo_county, shard):
    client = Client()
    client.force_login(User.objects.get(username="gk_admin"))
    failures = walk(client, "gk_admin", shard)
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:60])

"""Access control and protection (访问控制与防护): headers, check --deploy, input parsing, 400 page."""

import json
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from portal.inputs import id_param, int_param, parse_int, year_param

from .test_deployment import clean_env, run_python

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "SECRET_KEY": "x" * 20 + "-a-long-random-production-key-" + "y" * 30,
    "ALLOWED_HOSTS": "gk.example.invalid",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "SECURE_SSL_REDIRECT": "1",
}


def read_settings_value(tmp_path, name, **env):
    code = f"import json, portal.settings as s; print(json.dumps(getattr(s, {name!r}, None), default=str))"
    result = run_python(code, clean_env(tmp_path, **env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- check --deploy --------------------------------------------------------------------------


def test_check_deploy_with_the_production_environment_prints_no_warning(tmp_path):
    code = (
        "import sys; from django.core.management import execute_from_command_line;"
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
    )
    env = clean_env(tmp_path, DJANGO_SETTINGS_MODULE="portal.settings", **PRODUCTION)
    result = run_python(code, env, timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output and "WARNINGS" not in output


def test_check_deploy_names_what_is_missing_without_the_https_settings(tmp_path):
    code = (
        "from django.core.management import execute_from_command_line;"
        "execute_from_command_line(['manage.py', 'check', '--deploy'])"
    )
    env = clean_env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="portal.settings",
        SECRET_KEY=PRODUCTION["SECRET_KEY"],
        ALLOWED_HOSTS="gk.example.invalid",
    )
    output = (lambda r: r.stdout + r.stderr)(run_python(code, env, timeout=120))
    assert "security.W004" in output and "security.W008" in output  # HSTS and the SSL redirect


def test_hsts_and_ssl_redirect_come_from_the_environment(tmp_path):
    assert read_settings_value(tmp_path, "SECURE_HSTS_SECONDS", **PRODUCTION) == 31536000
    assert read_settings_value(tmp_path, "SECURE_SSL_REDIRECT", **PRODUCTION) is True
    assert read_settings_value(tmp_path, "SECURE_HSTS_PRELOAD", **PRODUCTION) is True
    plain = {"SECRET_KEY": PRODUCTION["SECRET_KEY"]}
    assert read_settings_value(tmp_path, "SECURE_HSTS_SECONDS", **plain) == 0
    assert read_settings_value(tmp_path, "SECURE_SSL_REDIRECT", **plain) is False


def test_hsts_header_and_redirect_when_configured(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    assert client.get("/").status_code == 301
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


# --- headers on pages ------------------------------------------------------------------------


def test_every_page_has_a_strict_csp_and_the_browser_policies(client, db):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'self'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff" and response["X-Frame-Options"] == "DENY"
    assert "no-store" not in response.get("Cache-Control", "")  # public pages may be cached


def test_the_policy_follows_the_settings_and_a_views_own_additions(client, settings, db):
    """The header is built once per process (portal.security_middleware.CSPMiddleware), yet a
    changed policy, a report-only policy and a view's csp_update decorator all reach pages."""
    from csp.decorators import csp_update
    from django.http import HttpResponse
    from django.test import RequestFactory

    from portal.security_middleware import CSPMiddleware

    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert "tiles.example.cn" not in client.get("/healthz")["Content-Security-Policy"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {**directives, "img-src": ["'self'", "https://tiles.example.cn"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    response = client.get("/healthz")
    assert "img-src 'self' https://tiles.example.cn" in response["Content-Security-Policy"]
    assert response["Content-Security-Policy-Report-Only"] == "default-src 'none'"

    @csp_update({"connect-src": ["https://api.example.cn"]})
    def view(request):
        return HttpResponse("ok")

    middleware = CSPMiddleware(view)
    decorated = middleware(RequestFactory().get("/a-page-with-a-map/"))
    assert "connect-src 'self' https://api.example.cn" in decorated["Content-Security-Policy"]
    plain = CSPMiddleware(lambda request: HttpResponse("ok"))(RequestFactory().get("/"))
    assert "api.example.cn" not in plain["Content-Security-Policy"]
    assert "tiles.example.cn" in plain["Content-Security-Policy"]


TEMPLATE_DIRS = [ROOT / "templates"] + [p for p in ROOT.glob("*/templates")] + [p for p in ROOT.glob("*/*/templates")]
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|javascript:", re.I)


def test_no_template_has_inline_scripts_styles_or_handlers():
    offenders = []
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            if "report_pdf" in path.name:
                continue  # rendered by WeasyPrint into a PDF, never served as a page
            for match in INLINE.finditer(text):
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert not offenders, offenders


@pytest.mark.parametrize("url", ["/gkgl/", "/staff/requests/", "/staff/requests/export/", "/staff/annual/", "/admin/"])
def test_staff_pages_are_never_stored(client, url, django_user_model, db):
    user = django_user_model.objects.create_superuser("root", password="pw-for-tests")
    client.force_login(user)
    response = client.get(url)
    assert response.status_code in (200, 302), url
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_applicants_status_pages_are_never_stored(client, db):
    response = client.get("/ysqgk/status/YS0000000000/")
    assert "no-store" in response["Cache-Control"]


# --- the 400 page and NUL --------------------------------------------------------------------


def test_nul_anywhere_gets_the_chinese_400_page(client, db):
    for response in (
        client.get("/zwgk/xxgk/search/", {"q": "a\x00b"}),
        client.post("/zwgk/xxgk/subscribe/", {"email": "a\x00@example.invalid"}),
        client.get("/zwgk/xxgk/unsubscribe/abc%00def/"),
    ):
        assert response.status_code == 400
        body = response.content.decode()
        assert "请求有误" in body and "返回首页" in body


def test_a_form_declaring_an_unknown_charset_gets_400_not_500(db):
    client = Client(raise_request_exception=False)
    response = client.generic(
        "POST",
        "/zwgk/xxgk/subscribe/",
        b"email=a%40example.invalid",
        content_type="application/x-www-form-urlencoded; charset=x-no-such",
    )
    assert response.status_code < 500


# --- the integer helper ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("12", 12),
        (" 7 ", 7),
        ("0", 0),
        ("²", None),
        ("１２", None),
        ("١٢", None),
        ("9" * 30, None),
        ("-1", None),
        ("1e3", None),
        ("", None),
        (None, None),
        ("12a", None),
        ("1_000", None),
    ],
)
def test_parse_int_accepts_only_ascii_digits_within_range(raw, expected):
    assert parse_int(raw) == expected


def test_int_param_bounds_and_defaults():
    assert int_param({"page": "5"}, "page", 1, minimum=1, maximum=3) == 1
    assert id_param({"org": "0"}, "org") is None and id_param({"org": "3"}, "org") == 3
    assert year_param({"year": "0"}) is None and year_param({"year": "2025"}) == 2025
    assert year_param({"year": "9" * 30}, default=2024) == 2024


@pytest.mark.parametrize("query", ["org=²", "year=0", "year=" + "9" * 30, "org=１２&year=２０２５"])
def test_public_statistics_ignore_malformed_numbers(client, db, query):
    assert client.get(reverse("annual:statistics") + "?" + query).status_code == 200

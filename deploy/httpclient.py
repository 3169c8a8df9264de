"""A tiny browser for the cluster test and the load run: HTTP only, standard library only.

It keeps cookies, sends from a chosen loopback source address (so nginx sees distinct
clients: 127.0.0.2, 127.0.0.3 …), fills HTML forms the way a person's browser would
(every field with its shown value, then what the person types), and posts
multipart bodies for uploads. No Django test client: the requests go through nginx and
gunicorn like anyone's.
"""

from __future__ import annotations

import html
import http.client
import re
import secrets
import time
import urllib.parse
from html.parser import HTMLParser
from http.cookies import SimpleCookie


class Response:
    def __init__(self, status, headers, body, elapsed, url):
        self.status, self.headers, self.body, self.elapsed, self.url = status, headers, body, elapsed, url

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def header(self, name, default=None):
        return self.headers.get(name.lower(), default)

    @property
    def location(self):
        return self.header("location", "")

    def __repr__(self):
        return f"<{self.status} {self.url}>"


class Form:
    def __init__(self, attrs):
        self.action = attrs.get("action") or ""
        self.method = (attrs.get("method") or "get").lower()
        self.enctype = attrs.get("enctype") or ""
        self.id = attrs.get("id") or ""
        self.fields: list[tuple[str, str]] = []
        self.options: dict[str, list[str]] = {}
        self.names: list[str] = []

    def values(self):
        return dict(self.fields)

    def data(self, **changes):
        """The fields as a browser would send them, with ``changes`` replacing (or adding) values.

        A value that is a list sends the name once per item (multiple select); ``None`` drops the field.
        """
        result, replaced = [], set()
        for name, value in self.fields:
            if name in changes:
                if name in replaced:
                    continue
                replaced.add(name)
                new = changes[name]
                if new is None:
                    continue
                for item in new if isinstance(new, (list, tuple)) else [new]:
                    result.append((name, str(item)))
            else:
                result.append((name, value))
        for name, new in changes.items():
            if name not in replaced and new is not None:
                for item in new if isinstance(new, (list, tuple)) else [new]:
                    result.append((name, str(item)))
        return result


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form = None
        self.select = None
        self.select_multiple = False
        self.select_values: list[str] = []
        self.select_first = None
        self.option_value = None
        self.option_text = ""
        self.textarea = None
        self.textarea_text = ""

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.form = Form(attrs)
            self.forms.append(self.form)
            return
        if self.form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            self.form.names.append(name)
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                self.form.options.setdefault(name, []).append(attrs.get("value", "on"))
                if "checked" in attrs:
                    self.form.fields.append((name, attrs.get("value", "on")))
                return
            self.form.fields.append((name, attrs.get("value", "")))
        elif tag == "select" and name:
            self.select, self.select_multiple = name, "multiple" in attrs
            self.select_values, self.select_first = [], None
            self.form.names.append(name)
            self.form.options[name] = []
        elif tag == "option" and self.select:
            self.option_value = attrs.get("value")
            self.option_text = ""
            self._option_selected = "selected" in attrs
        elif tag == "textarea" and name:
            self.textarea, self.textarea_text = name, ""
            self.form.names.append(name)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea_text += data
        if self.option_value is not None or (self.select and self.option_text is not None):
            self.option_text += data

    def handle_endtag(self, tag):
        if tag == "option" and self.select:
            value = self.option_value if self.option_value is not None else self.option_text.strip()
            self.form.options[self.select].append(value)
            if self.select_first is None:
                self.select_first = value
            if getattr(self, "_option_selected", False):
                self.select_values.append(value)
            self.option_value = None
        elif tag == "select" and self.select:
            values = self.select_values or (
                [] if self.select_multiple or self.select_first is None else [self.select_first]
            )
            for value in values:
                self.form.fields.append((self.select, value))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.form.fields.append((self.textarea, self.textarea_text.lstrip("\n")))
            self.textarea = None
        elif tag == "form":
            self.form = None


def forms(page: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(page)
    return parser.forms


def form_with(page: str, field: str) -> Form:
    """The first form of ``page`` that has a field called ``field``."""
    for form in forms(page):
        if field in form.names:
            return form
    raise AssertionError(f"no form with a field {field!r} on the page")


def multipart(fields, files):
    boundary = "----cluster" + secrets.token_hex(12)
    parts = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + str(value).encode("utf-8")
            + b"\r\n"
        )
    for name, (filename, content, content_type) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Browser:
    """One person at one address: cookies, and a source address for every connection."""

    def __init__(self, port, source="127.0.0.1", *, timeout=30, host="127.0.0.1"):
        self.port, self.source, self.timeout, self.host = port, source, timeout, host
        self.cookies: dict[str, str] = {}

    def request(self, method, path, *, data=None, files=None, headers=None, port=None):
        port = port or self.port
        body, sent_headers = (
            None,
            {"Host": f"{self.host}:{port}", "User-Agent": "zwgk-cluster-test", "Accept-Language": "zh-hans"},
        )
        if files:
            body, content_type = multipart(data or [], files)
            sent_headers["Content-Type"] = content_type
        elif data is not None:
            pairs = data.items() if isinstance(data, dict) else data
            body = urllib.parse.urlencode(list(pairs)).encode()
            sent_headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            sent_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST" and "csrftoken" in self.cookies:
            sent_headers["X-CSRFToken"] = self.cookies["csrftoken"]
        sent_headers.update(headers or {})
        connection = http.client.HTTPConnection(self.host, port, timeout=self.timeout, source_address=(self.source, 0))
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=sent_headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        elapsed = time.monotonic() - started
        received = {}
        for name, value in response.getheaders():
            received.setdefault(name.lower(), value)
        for value in response.msg.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(value)
            for key, morsel in cookie.items():
                if morsel["max-age"] == "0" or (morsel["expires"] and "1970" in morsel["expires"]):
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = morsel.value
        return Response(response.status, received, content, elapsed, f"http://{self.host}:{port}{path}")

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, data=None, **kwargs):
        return self.request("POST", path, data=data, **kwargs)

    def follow(self, response, **kwargs):
        """GET the redirect target of ``response`` (same port)."""
        location = response.location
        parsed = urllib.parse.urlsplit(location)
        path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
        port = parsed.port or kwargs.pop("port", None) or int(response.url.split(":")[2].split("/")[0])
        return self.get(path or "/", port=port, **kwargs)


# --- the online application form ----------------------------------------------------------

DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _number(words):
    if len(words) == 1:
        return DIGITS[words]
    if words.startswith("十"):
        return 10 + DIGITS[words[1:]]
    tens, _, ones = words.partition("十")
    return DIGITS[tens] * 10 + (DIGITS[ones] if ones else 0)


def solve(page):
    """Answer the form's arithmetic question the way a person reads it."""
    match = re.search(r'<span class="rq-question">(.+?)等于几？</span>', page)
    if not match:
        raise AssertionError("no question on the application form")
    question = html.unescape(match.group(1))
    if "加" in question:
        a, b = question.split("加")
        return str(_number(a) + _number(b))
    a, b = question.split("减")
    return str(_number(a) - _number(b))


def resident_id(n):
    """A well-formed, fictitious resident ID (division 990101 belongs to no real place)."""
    body = f"99010119900101{n % 1000:03d}"
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]
    return body + check


class Application:
    """One citizen's online application: the form as shown, then as filled in and posted."""

    def __init__(self, browser, *, marker, n=0, email="", port=None):
        self.browser, self.marker, self.n, self.email, self.port = browser, marker, n, email, port
        self.shown_at = None
        self.data = None
        self.form_response = None

    def fetch(self):
        page = self.form_response = self.browser.get("/ysqgk/", port=self.port)
        if page.status != 200:
            raise AssertionError(f"application form: HTTP {page.status}")
        form = form_with(page.text, "token")
        organization = next(v for v in form.options["organization"] if v)
        self.data = form.data(
            organization=organization,
            applicant_category="natural",
            applicant_name="测试申请人",
            id_type="resident_id",
            id_number=resident_id(self.n),
            phone="00005550100",
            email=self.email,
            address="示范县测试路1号",
            postcode="",
            contact_person="",
            description=f"多节点测试申请 {self.marker}",
            purpose="",
            form_wanted="electronic",
            delivery_method="email" if self.email else "online",
            website="",
            answer=solve(page.text),
            consent="on",
        )
        self.shown_at = time.monotonic()
        return self

    def wait_ready(self, seconds=3.2):
        """No person fills the form in under three seconds; the portal refuses faster posts."""
        if self.shown_at is not None:
            delay = self.shown_at + seconds - time.monotonic()
            if delay > 0:
                time.sleep(delay)

    def submit(self, *, port=None, headers=None):
        return self.browser.post("/ysqgk/", self.data, port=port or self.port, headers=headers)


def _codes(page):
    number = re.search(r'id="tracking-number">([^<]+)<', page)
    code = re.search(r'id="query-code">([^<]+)<', page)
    return (number.group(1).strip(), code.group(1).strip()) if number and code else None


def accepted(response):
    """Whether a posted application was accepted: its answer shows the number and code
    (runtime branch: in the answer to the POST itself), or redirects to the page that does."""
    if response.status == 302:
        return "/submitted/" in response.location
    return response.status == 200 and _codes(response.text) is not None


def submitted_number(browser, response):
    """The (tracking number, query code) an accepted application showed the applicant."""
    if response.status == 302:
        response = browser.follow(response)
    codes = _codes(response.text) if response.status == 200 else None
    if not codes:
        raise AssertionError(f"confirmation without number and code: HTTP {response.status}")
    return codes

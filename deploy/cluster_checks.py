"""What the cluster test's checks share: how they assert, read pages and act as staff.

Split from ``deploy/cluster_test.py`` (the checks themselves): the assertion helpers, the
RFC 6238 code an authenticator app would show, and :class:`StaffSteps` — logging in with the
second factor production requires, posting a staff action, creating an item with an
attachment — which :class:`cluster_test.Checks` mixes in.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time

from httpclient import Browser, form_with


def _totp(secret_b32, step=30, digits=6):
    """The current RFC 6238 code of a base32 key (what an authenticator app shows)."""
    import base64
    import hmac
    import struct

    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}d}"


RESULTS: list[tuple[str, bool, str]] = []


class CheckFailed(AssertionError):
    pass


def proved(fact):
    print(f"  PROVED  {fact}", flush=True)


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


def page_messages(page):
    """The Django messages a page shows: [(level, text)]."""
    import html as html_module

    return [
        (level, html_module.unescape(re.sub(r"<[^>]+>", "", text)).strip())
        for level, text in re.findall(r'<li class="message message-(\w+)">(.*?)</li>', page, re.S)
    ]


def upstream(response):
    return response.header("x-cluster-upstream", "?")


class StaffSteps:
    """Staff actions the checks take through nginx (uses the Checks' ports, cluster and run id)."""

    def _login(self):
        if self.staff:
            return self.staff
        staff = Browser(self.a, "127.0.0.5")
        page = staff.get("/admin/login/?next=/gkgl/")
        expect(page.status == 200, f"staff login page: HTTP {page.status}")
        form = form_with(page.text, "username")
        response = staff.post(
            "/admin/login/?next=/gkgl/", form.data(username="admin", password="demo-admin-2026", next="/gkgl/")
        )
        expect(response.status == 302, f"staff login on node A: HTTP {response.status}")
        self._enrol_second_factor(staff)
        expect(staff.get("/gkgl/", port=self.b).status == 200, "the session made on node A is unknown to node B")
        self.staff = staff
        return staff

    def _enrol_second_factor(self, staff):
        """Production requires two-factor login for administrators: enrol a TOTP device on
        node A as its owner would (read the key from the page, type the current code)."""
        page = staff.get("/account/2fa/setup/?next=/gkgl/")
        expect(page.status == 200, f"two-factor setup page: HTTP {page.status}")
        match = re.search(r'class="otp-secret">([A-Z2-7=]+)<', page.text)
        expect(match is not None, "two-factor setup page shows no key")
        form = form_with(page.text, "token")
        response = staff.post("/account/2fa/setup/?next=/gkgl/", form.data(token=_totp(match.group(1)), next="/gkgl/"))
        expect(
            response.status == 200 and "otp-secret" not in response.text,
            f"two-factor enrolment on node A: HTTP {response.status}",
        )

    def _action(self, action, data=None, port=None):
        staff = self.staff
        page = staff.get(f"/gkgl/item/{self.item}/", port=port)
        form = form_with(page.text, "csrfmiddlewaretoken")
        token = dict(form.fields)["csrfmiddlewaretoken"]
        response = staff.post(
            f"/gkgl/item/{self.item}/{action}/",
            [("csrfmiddlewaretoken", token)] + list((data or {}).items()),
            port=port,
        )
        expect(response.status == 302, f"{action} on node {port == self.b and 'B' or 'A'}: HTTP {response.status}")
        page = staff.follow(response)
        errors = [text for level, text in page_messages(page.text) if level == "error"]
        expect(page.status == 200 and not errors, f"{action}: HTTP {page.status} {errors}")
        return page

    def _create_item_with_attachment(self):
        staff = self._login()
        page = staff.get("/gkgl/new/")
        expect(page.status == 200, f"new item page: HTTP {page.status}")
        form = form_with(page.text, "title")
        entries = [v for v in form.options.get("catalog_entries", []) if v]
        kinds = [v for v in form.options.get("kind", []) if v]
        data = form.data(
            title=f"多节点测试信息 {self.run_id}",
            body="多节点部署测试：附件经节点A上传，经节点B下载。",
            catalog_entries=entries[:1],
            disclosure_attribute="proactive",
            **({"kind": kinds[0]} if "kind" in form.values() and not form.values()["kind"] else {}),
        )
        response = staff.post("/gkgl/new/", data)
        errors = re.findall(r'class="errorlist[^>]*>(.*?)</ul>', response.text, re.S)[:3]
        expect(
            response.status == 302 and "/gkgl/item/" in response.location,
            f"creating a draft on node A: HTTP {response.status} {errors}",
        )
        self.item = int(re.search(r"/gkgl/item/(\d+)/", response.location).group(1))
        # A PDF whose bytes are unique to this run.
        self.content = (
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n% cluster test "
            + secrets.token_hex(4000).encode()
            + b"\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
        )
        page = staff.get(f"/gkgl/item/{self.item}/")
        form = form_with(page.text, "csrfmiddlewaretoken")
        response = staff.request(
            "POST",
            f"/gkgl/item/{self.item}/attachments/",
            data=[("csrfmiddlewaretoken", dict(form.fields)["csrfmiddlewaretoken"])],
            files={"file": ("多节点测试附件.pdf", self.content, "application/pdf")},
        )
        expect(response.status == 302, f"upload on node A: HTTP {response.status}")
        expect(self.node(response) == "A", "the upload was not served by node A")
        page = staff.follow(response)
        links = re.findall(r"/gkgl/file/(\d+)/", page.text)
        expect(
            links,
            "no attachment on the item page after the upload: "
            + "; ".join(re.findall(r'class="[^"]*(?:error|alert)[^"]*"[^>]*>([^<]+)', page.text)[:3]),
        )
        self.attachment = int(links[-1])

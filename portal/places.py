"""Named places of the site: how a lower app's page links to a page an app above it serves.

The layer rule holds for templates as it does for imports (docs/architecture.md): an app's
templates name only the URLs of their own app and of the apps below it
(``tests/portal/test_layer_rule.py``). Yet every public page sits inside the 政务公开专栏 — an
item's breadcrumb reads 首页 › 政务公开 › 法定主动公开内容 › …, an application form points to
the 公开指南's 受理机构 — and the column is the top app. So the core names those places, the
app that serves a place says so in its ``ready()`` (``column/apps.py``), and a lower template
links to the place, not to the app: ``{% load places %}<a href="{% place_url "column" %}">``.

The place names are fixed here, so a misspelt name fails at once instead of linking nowhere.
A place no installed app serves gives an empty URL: the lower app keeps working without the
app above it, which is the point of the layers.
"""

from portal.templatetags.memo_urls import reverse_remembered

PLACES = {
    "home": "the home page (the column composes it)",
    "column": "政府信息公开专栏 (the column's landing)",
    "guide": "政府信息公开指南 (with #apply, #offices …)",
    "statutory": "法定主动公开内容 (the 26 domains and the organisations)",
    "catalog_domain": "a domain's standard catalog (pk of the domain)",
    "catalog_entry": "a catalog entry's standard: content, basis, time limit (pk of the entry)",
    "catalog_organization": "an organisation's own catalog (pk of the organisation)",
    # Where a staff member starts work (portal.security.workbench_url), served by the apps of those roles.
    "items_workbench": "公开管理: clerks' and reviewers' dashboard",
    "requests_workbench": "申请办理: request officers' workbench",
}

_served = {}


def serve(place, url_name):
    """The app that owns ``url_name`` serves ``place`` (called from its ``AppConfig.ready()``)."""
    if place not in PLACES:
        raise KeyError(f"unknown place {place!r}; the places are {sorted(PLACES)}")
    _served[place] = url_name


def url(place, *args):
    """The URL of ``place`` (``""`` when no installed app serves it)."""
    if place not in PLACES:
        raise KeyError(f"unknown place {place!r}; the places are {sorted(PLACES)}")
    url_name = _served.get(place)
    return reverse_remembered(url_name, args) if url_name else ""


def served():
    """``{place: url name}`` of every place an installed app serves."""
    return dict(_served)

"""Whose page is it: the organisation that answers an error report about a page address.

The address is resolved with Django's URL resolver (never fetched): an item page belongs to
the item's organisation, a catalog entry to the entry's local organisation, an organisation
page to that organisation, an annual report or a consultation to its organisation.
Everything else (the home page, the guide, search) is the site's, so the root government's.
The models are looked up by label through the app registry: corrections may not import
the sibling apps at its own layer, and an app that is not installed is simply skipped.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.apps import apps
from django.urls import Resolver404, resolve

from portal.inputs import parse_int
from portal.models import Organization
from portal.selectors import root_organization

#: "namespace:url_name" → (model label, path parameter, path to the organisation; "" for the object itself)
OWNERS = {
    "disclosure:item": ("disclosure.DisclosureItem", "pk", "organization"),
    "disclosure:item_print": ("disclosure.DisclosureItem", "pk", "organization"),
    "disclosure:version": ("disclosure.DisclosureItem", "pk", "organization"),
    "disclosure:entry": ("catalog.CatalogEntry", "pk", "organization"),
    "column:entry": ("catalog.CatalogEntry", "pk", "organization"),
    "disclosure:organization": ("portal.Organization", "pk", ""),
    "column:organization": ("portal.Organization", "pk", ""),
    "annual:report": ("annual.AnnualReport", "pk", "organization"),
    "consultations:detail": ("consultations.Consultation", "pk", "organization"),
}


def normalize(url: str, host: str | None = None) -> str:
    """The path (and query) of a page of this site; ``""`` for anything else.

    A full address is kept only when its host is ``host`` (the request's own).
    """
    url = (url or "").strip()[:500]
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme not in ("", "http", "https") or not parts.path.startswith("/") or parts.path.startswith("//"):
        return ""
    if (parts.scheme or parts.netloc) and (not host or parts.netloc.lower() != host.lower()):
        return ""
    if any(ord(ch) < 32 for ch in url):
        return ""
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path[:500]


def owner_of(path: str):
    """``(organisation, page title)`` for a page path; the root organisation when none is found."""
    root = root_organization()
    if not path:
        return root, ""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return root, ""
    rule = OWNERS.get(match.view_name)
    if rule is None:
        return root, ""
    label, param, org_path = rule
    try:
        model = apps.get_model(label)
    except LookupError:
        return root, ""
    pk = parse_int(str(match.kwargs.get(param, "")))
    if pk is None:
        return root, ""
    obj = model._default_manager.filter(pk=pk).first()
    if obj is None:
        return root, ""
    org = obj if not org_path else getattr(obj, org_path, None)
    if not isinstance(org, Organization):
        return root, str(obj)[:300]
    return org, str(obj)[:300]

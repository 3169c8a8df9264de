"""Generated from the admin registry: every ModelAdmin is scoped to the user's organisation
subtree, or open to superusers (and portal-wide staff) only (issue 11, finding 1).

A 管理员 of 城关镇 — the role with the most permissions short of superuser — opens every
registered changelist of the demo county. Each row it is shown must belong to 城关镇's subtree
(or be shared reference data of the kinds listed below); a model without organisation data
must refuse the changelist. The test also checks that it saw 河西乡's rows being left out, so
an empty demo cannot make it pass.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client

from portal.models import Organization, Role, User

# Models whose admin shows rows with no organisation to everyone who may view them:
# the shared standard catalog and shared notice templates (organization NULL), and the
# county-wide holiday calendar, which only portal-wide staff may change.
SHARED_WHEN_NULL = {"catalog.catalogentry", "requests_app.noticetemplate"}
NO_ORGANISATION_BUT_PUBLIC_REFERENCE = {"portal.calendarday", "portal.scheduleyear"}
# How an admin that does not use OrganizationScopedAdminMixin scopes its rows.
SPECIAL_PATHS = {"portal.organization": "", "portal.auditentry": "actor__organization"}


def organisation_path(model_admin):
    label = model_admin.model._meta.label_lower
    if label in SPECIAL_PATHS:
        return SPECIAL_PATHS[label]
    path = getattr(model_admin, "organization_field", None)
    if path:
        return path
    names = {f.name for f in model_admin.model._meta.get_fields()}
    return "organization" if "organization" in names else None


def resolve(obj, path):
    if path == "":
        return obj
    for part in path.split("__"):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


@pytest.mark.django_db
def test_every_admin_is_scoped_or_superuser_only(demo_county):
    chengguan = Organization.objects.get(short_name="城关镇")
    hexi = Organization.objects.get(short_name="河西乡")
    user = User.objects.create_user("cg_admin_walk", password="pw-for-tests", organization=chengguan, is_staff=True)
    user.groups.add(Group.objects.get(name=Role.ORG_ADMIN.value))
    # The demo has no subscribers: give 河西乡 one, and the whole county one (no organisation).
    from catalog.models import CatalogEntry
    from disclosure.models import Subscription

    Subscription.objects.create(email="hx-citizen@example.invalid", organization=hexi)
    Subscription.objects.create(email="any-citizen@example.invalid", domain=CatalogEntry.objects.domains().first())
    client = Client()
    client.force_login(user)
    inside = set(chengguan.get_descendants(include_self=True).values_list("pk", flat=True))
    foreign = set(hexi.get_descendants(include_self=True).values_list("pk", flat=True))
    problems, excluded = [], []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        response = client.get(url)
        path = organisation_path(model_admin)
        if response.status_code in (302, 403):
            continue  # refused: superuser-only for this user
        if response.status_code != 200:
            problems.append(f"{label}: HTTP {response.status_code}")
            continue
        if path is None:
            if label not in NO_ORGANISATION_BUT_PUBLIC_REFERENCE:
                problems.append(f"{label}: no organisation data, yet open to a township's 管理员")
            continue
        shown = list(response.context["cl"].queryset[:2000])
        for obj in shown:
            org = resolve(obj, path)
            if org is None:
                if label not in SHARED_WHEN_NULL:
                    problems.append(f"{label}: shows {obj!r} with no organisation")
            elif org.pk not in inside:
                problems.append(f"{label}: shows {obj!r} of {org}")
        if path and path != "":
            lookup = {f"{path}__in": foreign}
        else:
            lookup = {"pk__in": foreign}
        if model._default_manager.filter(**lookup).exists():
            excluded.append(label)
    assert not problems, "\n".join(problems)
    # The demo has 河西乡 rows in these changelists; each was left out above.
    assert {"portal.organization", "portal.user", "catalog.adoption", "disclosure.disclosureitem"} <= set(excluded), (
        excluded
    )

"""The column's short lists: titles, organisations and dates of disclosure items, one query each."""

from disclosure import selectors as disclosure_selectors
from disclosure.models import DisclosureItem, ItemKind


def short_list(qs, limit):
    """Only what a landing row shows (title, 文号, organisation, date, validity badge)."""
    return list(
        qs.select_related("organization")
        .prefetch_related(None)
        .only(
            "id",
            "title",
            "kind",
            "document_number",
            "published_at",
            "validity",
            "state",
            "revision_of_id",
            "organization__id",
            "organization__name",
            "organization__short_name",
        )[:limit]
    )


def latest(limit):
    return short_list(DisclosureItem.objects.public(), limit)


def rules(limit):
    return short_list(disclosure_selectors.rule_items(), limit)


def policies(limit):
    return short_list(disclosure_selectors.policy_documents(), limit)


def interpretations(limit):
    return short_list(DisclosureItem.objects.public().filter(kind=ItemKind.INTERPRETATION), limit)

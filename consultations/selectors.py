"""Queries the consultation pages, feeds and staff lists share."""

from __future__ import annotations

from django.db.models import Count, Q

from portal import pagecache
from portal.permissions import organization_scope

from .models import COUNTED_STATES, Comment, CommentState, Consultation, ConsultationState, Phase

PUBLIC_STATES = (ConsultationState.PUBLISHED, ConsultationState.CLOSED)


def with_counts(qs):
    """Each consultation with its numbers of received and of shown comments, in the same query."""
    return qs.annotate(
        online_received=Count("comments", filter=Q(comments__state__in=COUNTED_STATES), distinct=True),
        shown_comments=Count("comments", filter=Q(comments__state=CommentState.PUBLISHED), distinct=True),
        pending_comments=Count("comments", filter=Q(comments__state=CommentState.PENDING), distinct=True),
    )


def public_consultations(phase=None, today=None):
    """What citizens see in the list: published and closed ones, newest first, optionally by phase."""
    qs = Consultation.objects.filter(state__in=PUBLIC_STATES, starts_on__lte=today).select_related("organization")
    if phase == Phase.OPEN:
        qs = qs.filter(state=ConsultationState.PUBLISHED, ends_on__gte=today)
    elif phase == Phase.ENDED:
        qs = qs.filter(state=ConsultationState.PUBLISHED, ends_on__lt=today)
    elif phase == Phase.FEEDBACK:
        qs = qs.filter(state=ConsultationState.CLOSED)
    return with_counts(qs).order_by("-starts_on", "-id")


def public_consultation(pk, today):
    if not isinstance(pk, int):
        return None
    return (
        with_counts(Consultation.objects.filter(state__in=PUBLIC_STATES, starts_on__lte=today))
        .select_related("organization", "catalog_entry", "final_item")
        .filter(pk=pk)
        .first()
    )


def shown_comments(consultation):
    return consultation.comments.filter(state=CommentState.PUBLISHED).order_by("created_at", "id")


def staff_consultations(user):
    return with_counts(
        Consultation.objects.filter(organization__in=organization_scope(user)).select_related("organization")
    ).order_by("-created_at", "-id")


def staff_consultation(user, pk):
    return (
        Consultation.objects.filter(organization__in=organization_scope(user))
        .select_related("organization", "catalog_entry", "final_item")
        .filter(pk=pk)
        .first()
    )


def staff_comments(consultation, state=None):
    qs = consultation.comments.all()
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("created_at", "id")


def staff_comment(user, pk):
    return (
        Comment.objects.filter(consultation__organization__in=organization_scope(user))
        .select_related("consultation__organization")
        .filter(pk=pk)
        .first()
    )


def for_item(item_id: int) -> list[Consultation]:
    """Public consultations whose final policy is the disclosure item ``item_id``.

    Every public item page asks this, and almost every answer is "none"; so the items that
    have one are remembered per content generation (a consultation saved bumps it) and the
    others cost no query.
    """
    if item_id not in final_item_ids():
        return []  # not even an empty queryset: iterating ``none()`` still builds its SQL
    return list(Consultation.objects.filter(state__in=PUBLIC_STATES, final_item_id=item_id).order_by("-starts_on"))


def final_item_ids() -> frozenset[int]:
    """The disclosure items that are the final policy of a public consultation."""

    def compute():
        return frozenset(
            Consultation.objects.filter(state__in=PUBLIC_STATES, final_item__isnull=False).values_list(
                "final_item_id", flat=True
            )
        )

    return pagecache.remember("consultation-final-items", compute)

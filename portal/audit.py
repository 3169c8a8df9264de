"""Writing and reading the audit log.

Every service that changes state calls :func:`record`; the admin mixin in
``portal.admin`` calls it for admin edits. Reading goes through
:func:`entries_for` so the object pages share one query.
"""
from django.contrib.contenttypes.models import ContentType

from .models import AuditEntry


def record(actor, obj, verb, *, from_state="", to_state="", comment=""):
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        verb=str(verb),
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        comment=comment or "",
    )


def entries_for(obj):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
    ).select_related("actor")

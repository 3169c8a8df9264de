"""Writing and reading the audit log.

Every service that changes state calls :func:`record`; the admin mixin in
``portal.admin`` calls it for admin edits. Reading goes through
:func:`entries_for` so the object pages share one query.
"""
from django.contrib.contenttypes.models import ContentType

from .models import AuditEntry


def _fit(value, field):
    """Cut a value to its column: a long state label must not make PostgreSQL refuse the whole change."""
    return str(value or "")[: AuditEntry._meta.get_field(field).max_length]


def record(actor, obj, verb, *, from_state="", to_state="", comment=""):
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=_fit(obj.pk, "object_id"),
        object_repr=_fit(obj, "object_repr"),
        verb=_fit(verb, "verb"),
        from_state=_fit(from_state, "from_state"),
        to_state=_fit(to_state, "to_state"),
        comment=str(comment or ""),
    )


def entries_for(obj):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
    ).select_related("actor")

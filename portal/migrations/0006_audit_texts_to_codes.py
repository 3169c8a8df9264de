"""Turn the audit log's stored sentences into codes, so old entries read in the reader's language.

Each known verb text (Chinese, or English if it was written under English) maps back to its
event code, each known state text to its state code (``portal.audit.resolve_event`` /
``resolve_state``, the same mapping the live ``record()`` uses); a text that maps to nothing
becomes the ``legacy`` event (or an uncoded state) with the text kept as a parameter, so every
entry reads exactly as before. Runs before the append-only trigger (0008) exists.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from portal.audit import resolve_event, resolve_state

    AuditEntry = apps.get_model("portal", "AuditEntry")
    for entry in AuditEntry.objects.select_related("content_type", "actor").iterator(chunk_size=500):
        app_label = entry.content_type.app_label if entry.content_type_id else ""
        params = dict(entry.params or {})
        code = resolve_event(entry.verb, app_label)
        if code is None:
            code = "legacy"
            params["verb"] = entry.verb
        from_code = resolve_state(entry.from_state, app_label) or ""
        to_code = resolve_state(entry.to_state, app_label) or ""
        if entry.from_state and not from_code:
            params["from_state"] = entry.from_state
        if entry.to_state and not to_code:
            params["to_state"] = entry.to_state
        AuditEntry.objects.filter(pk=entry.pk).update(
            event=code,
            from_code=from_code,
            to_code=to_code,
            params=params,
            username=entry.actor.username if entry.actor_id else entry.username,
        )


def backwards(apps, schema_editor):
    from django.utils import translation

    from portal.audit import event_codes, state_label

    AuditEntry = apps.get_model("portal", "AuditEntry")
    labels = event_codes()
    with translation.override("zh-hans"):
        for entry in AuditEntry.objects.iterator(chunk_size=500):
            params = entry.params or {}
            verb = params.get("verb", "") if entry.event == "legacy" else str(labels.get(entry.event, entry.event))
            AuditEntry.objects.filter(pk=entry.pk).update(
                verb=verb[:60],
                from_state=state_label(entry.from_code, params.get("from_state", ""))[:40],
                to_state=state_label(entry.to_code, params.get("to_state", ""))[:40],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0005_audit_as_data"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

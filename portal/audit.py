"""Writing and reading the audit log (安全审计).

An entry is data: an event code, state codes and JSON parameters, plus who (the actor and the
account name), from where (:func:`portal.net.client_ip`), when, and the outcome. It is
rendered in the reader's language when read, so the same log reads in Chinese and English.

Two ways in:

* :func:`record_event` — the API for new code: ``record_event(code, actor=…, request=…,
  target=…, outcome=…, **params)``. Account events (login, lockout, 2FA …) have no target.
* :func:`record` — the older call the domain services still make with a translated verb
  and state texts. The text is mapped back to its code (``portal.audit_vocabulary`` and the
  models' choice labels); only the code is stored. Text that maps to nothing is stored as
  the ``legacy`` event with the text as a parameter, so nothing is ever lost.

The address of entries written without a request (services deep below a view) comes from
the request being served, which :class:`AuditRequestMiddleware` keeps in a context variable.
"""

from __future__ import annotations

import contextvars
from datetime import date, datetime

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from django.utils.translation import gettext

from .models import AuditEntry, AuditEvent, AuditOutcome
from .net import client_ip

_current_request = contextvars.ContextVar("portal_audit_request", default=None)


class AuditRequestMiddleware:
    """Remember the request being served, so every entry written during it has its address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def current_request():
    return _current_request.get()


# --- the registry of codes --------------------------------------------------------------------

_EVENTS: dict[str, object] = {}
_reverse_cache: dict[tuple[str, str], dict[str, str]] = {}


def register_events(app_label: str, mapping: dict) -> None:
    """Add an app's event codes (``{"submit": gettext_lazy("提交审核")}``) as ``app_label.submit``."""
    for code, label in mapping.items():
        _EVENTS[f"{app_label}.{code}"] = label
    _reverse_cache.clear()


_loaded = False


def _load_registry():
    global _loaded
    if _loaded:
        return
    _loaded = True
    from .audit_vocabulary import DOMAIN_EVENTS

    for choice in AuditEvent:
        _EVENTS[choice.value] = choice.label
    for app_label, mapping in DOMAIN_EVENTS.items():
        register_events(app_label, mapping)


def event_codes() -> dict:
    _load_registry()
    return dict(_EVENTS)


def _languages():
    return [code for code, _name in settings.LANGUAGES]


def _reverse(kind: str, scope: str) -> dict[str, str]:
    """Text (in every configured language) → code, for one scope: an app label, "core" or "*"."""
    key = (kind, scope)
    if key in _reverse_cache:
        return _reverse_cache[key]
    labels = _event_labels(scope) if kind == "event" else _state_labels(scope)
    table = {}
    for language in _languages():
        with translation.override(language):
            for code, label in labels.items():
                table.setdefault(str(label).strip(), code)
    _reverse_cache[key] = table
    return table


def _event_labels(scope):
    _load_registry()
    if scope == "core":
        return {c: label for c, label in _EVENTS.items() if "." not in c and c != AuditEvent.LEGACY}
    if scope == "*":
        return {c: label for c, label in _EVENTS.items() if "." in c}
    return {c: label for c, label in _EVENTS.items() if c.startswith(scope + ".")}


def _state_labels(scope):
    from .audit_vocabulary import EXTRA_STATES, STATE_FIELDS

    labels = {}
    configs = apps.get_app_configs() if scope == "*" else [apps.get_app_config(scope)]
    for config in configs:
        for model in config.get_models():
            for field in model._meta.get_fields():
                if getattr(field, "name", None) in STATE_FIELDS and getattr(field, "choices", None):
                    for value, label in field.flatchoices:
                        labels[f"{config.label}.{model._meta.model_name}.{field.name}:{value}"] = label
    labels.update({c: label for c, label in EXTRA_STATES.items() if scope in ("*", c.split(".")[0])})
    return labels


def resolve_event(text, app_label: str = "") -> str | None:
    """The code whose label is ``text`` (any language), preferring the target's app."""
    text = str(text or "").strip()
    if not text:
        return None
    if text in event_codes():
        return text
    scopes = ([app_label] if app_label else []) + ["core", "*"]
    for scope in scopes:
        try:
            code = _reverse("event", scope).get(text)
        except LookupError:
            continue
        if code:
            return code
    return None


def resolve_state(text, app_label: str = "") -> str | None:
    text = str(text or "").strip()
    if not text:
        return None
    for scope in ([app_label] if app_label else []) + ["*"]:
        try:
            code = _reverse("state", scope).get(text)
        except LookupError:
            continue
        if code:
            return code
    return None


# --- rendering --------------------------------------------------------------------------------


def event_label(entry) -> str:
    if entry.event == AuditEvent.LEGACY:
        return str(entry.params.get("verb", "")) or str(AuditEvent.LEGACY.label)
    label = event_codes().get(entry.event)
    return str(label) if label is not None else entry.event


def state_label(code: str, fallback: str = "") -> str:
    if not code:
        return str(fallback or "")
    from .audit_vocabulary import EXTRA_STATES

    if code in EXTRA_STATES:
        return str(EXTRA_STATES[code])
    try:
        path, value = code.split(":", 1)
        app_label, model_name, field_name = path.split(".")
        field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
        return str(dict(field.flatchoices).get(value, value))
    except (ValueError, LookupError):
        return str(fallback or code)


def _join(values):
    return "、".join(str(v) for v in values or [])


def event_detail(entry) -> str:
    """The parameters of an account event as a sentence; the comment for everything else."""
    p = entry.params or {}
    parts = []
    if entry.event in (AuditEvent.GROUPS_CHANGED, AuditEvent.PERMISSIONS_CHANGED):
        if p.get("added"):
            parts.append(gettext("增加：%(names)s") % {"names": _join(p["added"])})
        if p.get("removed"):
            parts.append(gettext("移除：%(names)s") % {"names": _join(p["removed"])})
        if p.get("cleared"):
            parts.append(gettext("全部移除"))
    elif entry.event == AuditEvent.LOCKOUT and p.get("failures"):
        parts.append(gettext("连续失败%(count)s次") % {"count": p["failures"]})
    elif entry.event == AuditEvent.OTP_FAILED and p.get("remaining") is not None:
        parts.append(gettext("验证码错误"))
    if p.get("path") and entry.event in (AuditEvent.LOGIN_FAILED, AuditEvent.LOCKOUT, AuditEvent.LOGIN):
        parts.append(gettext("登录页面：%(path)s") % {"path": p["path"]})
    if entry.comment:
        parts.append(entry.comment)
    return "；".join(parts)


# --- writing ----------------------------------------------------------------------------------


def _fit(value, field):
    """Cut a value to its column: a long label must not make PostgreSQL refuse the whole change."""
    return str(value or "")[: AuditEntry._meta.get_field(field).max_length]


def _jsonable(value):
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def record_event(
    code,
    *,
    actor=None,
    request=None,
    target=None,
    outcome=AuditOutcome.SUCCESS,
    comment="",
    from_code="",
    to_code="",
    username=None,
    **params,
) -> AuditEntry:
    """Write one entry. ``code`` is an :class:`AuditEvent` or a registered ``app.code``.

    ``request`` gives the client address (``client_ip``, honouring TRUSTED_PROXIES); without
    one the request being served is used. ``username`` names the account when there is no
    actor (a failed login for an unknown or locked account).
    """
    entry = event_entry(
        code,
        actor=actor,
        request=request,
        target=target,
        outcome=outcome,
        comment=comment,
        from_code=from_code,
        to_code=to_code,
        username=username,
        **params,
    )
    entry.save(force_insert=True)
    return entry


def event_entry(
    code,
    *,
    actor=None,
    request=None,
    target=None,
    outcome=AuditOutcome.SUCCESS,
    comment="",
    from_code="",
    to_code="",
    username=None,
    **params,
) -> AuditEntry:
    """The entry :func:`record_event` writes, not yet saved (for :func:`record_many`)."""
    code = str(code)
    if code not in event_codes():
        raise ValueError(f"unknown audit event code: {code!r}")
    request = request if request is not None else current_request()
    authenticated = getattr(actor, "is_authenticated", False)
    if username is None:
        username = actor.get_username() if authenticated else ""
    values = dict(
        actor=actor if authenticated else None,
        username=_fit(username, "username"),
        event=code,
        outcome=str(outcome),
        ip=_fit(client_ip(request), "ip") if request is not None else "",
        from_code=_fit(from_code, "from_code"),
        to_code=_fit(to_code, "to_code"),
        params=_jsonable(params),
        comment=str(comment or ""),
    )
    if target is not None:
        values.update(
            content_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
            object_id=_fit(target.pk, "object_id"),
            object_repr=_fit(target, "object_repr"),
        )
    return AuditEntry(**values)


def record(actor, obj, verb, *, from_state="", to_state="", comment=""):
    """The older call: ``verb``/states are translated texts; store their codes (see module doc)."""
    entry = build(actor, obj, verb, from_state=from_state, to_state=to_state, comment=comment)
    entry.save(force_insert=True)
    return entry


def record_many(entries):
    """Write entries built by :func:`build` / :func:`event_entry` at once, in their order (a bulk import)."""
    return AuditEntry.objects.bulk_create(list(entries), batch_size=500)


def build(actor, obj, verb, *, from_state="", to_state="", comment=""):
    """The entry :func:`record` writes, not yet saved."""
    app_label = obj._meta.app_label
    code = resolve_event(verb, app_label)
    params = {}
    if code is None:
        code = AuditEvent.LEGACY
        params["verb"] = str(verb or "")[:60]
    from_code = resolve_state(from_state, app_label) or ""
    to_code = resolve_state(to_state, app_label) or ""
    if from_state and not from_code:
        params["from_state"] = str(from_state)[:40]
    if to_state and not to_code:
        params["to_state"] = str(to_state)[:40]
    return event_entry(code, actor=actor, target=obj, comment=comment, from_code=from_code, to_code=to_code, **params)


def entries_for(obj):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
    ).select_related("actor")

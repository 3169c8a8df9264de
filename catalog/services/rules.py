"""The rules every catalog verb applies, shared with the forms (so a mistake shows next to its field)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import workdays
from portal.models import Organization

from ..models import (
    Adjustment,
    Adoption,
    CatalogEntry,
    Channel,
    FiveDisclosures,
    validate_channels,
)
from ..timelimits import parse_time_limit_days

# What an organisation may word its own way for a standard entry.
OVERRIDABLE = ("time_limit_text", "time_limit_days", "responsible_body", "channels")
# The columns an organisation fills in for an entry of its own.
LOCAL_FIELDS = (
    "code",
    "sort_order",
    "content_elements",
    "legal_basis",
    "time_limit_text",
    "time_limit_days",
    "responsible_body",
    "channels",
    "audience_public",
    "audience_specific",
    "proactive",
    "on_request",
    "level_county",
    "level_township",
    "five_disclosures",
    "requires_interpretation",
)
MAX_DAYS = 999
# The channel vocabulary in its order (an import checks 6,000 lists: Channel.values is rebuilt at each read).
_CHANNEL_ORDER = tuple(Channel.values)
_CHANNELS = frozenset(_CHANNEL_ORDER)
REASON_MAX_LENGTH = Adjustment._meta.get_field("reason").max_length


# --- the rules, shared with the forms ---------------------------------------------------------


def clean_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写调整理由。")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("调整理由不能超过%(max)d个字（现有%(count)d个）。")
                % {"max": REASON_MAX_LENGTH, "count": len(reason)}
            }
        )
    return reason


def clean_effective_date(value: dt.date | dt.datetime | str | None) -> dt.date:
    """The day the adjustment took effect: today unless given; never in the future.

    The change is applied the moment it is saved, so a future date would make
    the history claim the catalog was different from what the public saw.
    """
    today = workdays.today()
    if value in (None, ""):
        return today
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(
                {"effective_date": _("调整日期“%(value)s”无法识别，应写成 2026-03-01。") % {"value": value}}
            ) from None
    if not isinstance(value, dt.date):
        raise ValidationError({"effective_date": _("调整日期无法识别。")})
    if value > today:
        raise ValidationError(
            {
                "effective_date": _("调整日期不能晚于今天（%(today)s）：调整保存后立即生效。")
                % {"today": today.isoformat()}
            }
        )
    return value


def clean_channels(values: Iterable[str] | str | None) -> list[str] | None:
    """Channels as codes of the fixed vocabulary, in its order, each once."""
    if values is None:
        return None
    if isinstance(values, str):
        values = [values]
    values = list(values)
    if not all(isinstance(value, str) and value in _CHANNELS for value in values):  # else the validator says which
        try:
            validate_channels(values)
        except ValidationError as exc:
            raise ValidationError({"channels": exc.messages}) from None
    wanted = set(values)
    return [code for code in _CHANNEL_ORDER if code in wanted]


def _clean_text(field, value, model=Adoption):
    value = (value or "").strip()
    model_field = model._meta.get_field(field)
    if model_field.max_length and len(value) > model_field.max_length:
        raise ValidationError(
            {
                field: _("%(field)s不能超过%(max)d个字（现有%(count)d个）。")
                % {"field": model_field.verbose_name, "max": model_field.max_length, "count": len(value)}
            }
        )
    return value


def _clean_days(value, field="time_limit_days"):
    if value in (None, ""):
        return None
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("公开时限的工作日数应为整数。")}) from None
    if not 0 <= days <= MAX_DAYS:
        raise ValidationError({field: _("公开时限的工作日数应在0到%(max)d之间。") % {"max": MAX_DAYS}})
    return days


def clean_override_values(entry: CatalogEntry, values: dict[str, Any]) -> dict[str, Any]:
    """The organisation's own wording, as stored: blank where it says what the standard says.

    Storing "same as the standard" as blank means the organisation keeps
    following the standard catalog when that is revised.
    """
    unknown = set(values) - set(OVERRIDABLE)
    if unknown:
        raise ValidationError(_("不能调整这些字段：%(fields)s") % {"fields": "、".join(sorted(unknown))})
    cleaned = {}
    if "time_limit_text" in values:
        text = _clean_text("time_limit_text", values["time_limit_text"])
        cleaned["time_limit_text"] = "" if text == entry.time_limit_text else text
        if "time_limit_days" not in values:
            cleaned["time_limit_days"] = (
                parse_time_limit_days(cleaned["time_limit_text"]) if cleaned["time_limit_text"] else None
            )
    if "time_limit_days" in values:
        cleaned["time_limit_days"] = _clean_days(values["time_limit_days"])
    if "responsible_body" in values:
        body = _clean_text("responsible_body", values["responsible_body"])
        cleaned["responsible_body"] = "" if body == entry.responsible_body else body
    if "channels" in values:
        channels = clean_channels(values["channels"])
        standard = clean_channels(entry.channels or [])
        if channels is None or channels == standard:
            cleaned["channels"] = None
        elif not channels:
            raise ValidationError({"channels": _("请至少勾选一个公开渠道和载体；与标准目录相同时沿用标准目录。")})
        else:
            cleaned["channels"] = channels
    return cleaned


def clean_name(name: str | None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("请填写事项名称。")})
    return name


def ensure_free_name(
    parent: CatalogEntry, name: str, organization: Organization | None, exclude_pk: int | None = None
) -> None:
    """No two siblings an organisation sees may share a name (its own or a standard one)."""
    clash = CatalogEntry.objects.filter(parent=parent, name=name).filter(
        Q(organization__isnull=True) | Q(organization=organization)
    )
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": _("“%(parent)s”下已有“%(name)s”。") % {"parent": parent, "name": name}})


def clean_local_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(LOCAL_FIELDS)
    if unknown:
        raise ValidationError(_("不能填写这些字段：%(fields)s") % {"fields": "、".join(sorted(unknown))})
    fields = dict(fields)
    if "channels" in fields:
        fields["channels"] = clean_channels(fields["channels"]) or []
    if "time_limit_days" in fields:
        fields["time_limit_days"] = _clean_days(fields["time_limit_days"])
    if "five_disclosures" in fields and fields["five_disclosures"] not in ("", None, *FiveDisclosures.values):
        raise ValidationError(
            {"five_disclosures": _("未知的五公开类别：%(value)s") % {"value": fields["five_disclosures"]}}
        )
    return fields

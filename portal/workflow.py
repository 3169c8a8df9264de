"""One state-machine primitive for every workflow of the portal.

Information requests, disclosure items, annual reports and the interaction channels all have
the same shape: a state field that only the app's services write, a version number that makes
two officials acting on one record at once safe (the second gets a clear message instead of
silently undoing the first), steps that are allowed from some states and need a permission,
and an audit entry for every step that a supervisor or a court may read years later. Before
this module each app re-coded the lock, the state check, the version bump and the audit call,
and the staff pages re-coded the guards to decide which buttons to show. Now an app declares
its steps as data and the pages show exactly :meth:`Workflow.available_steps`:

    WORKFLOW = Workflow(
        AnnualReport,
        noun=gettext_lazy("报告"),
        steps=[
            Step("submit", gettext_lazy("提交审核"), sources=[ReportState.DRAFT],
                 target=ReportState.IN_REVIEW, permission="annual.prepare_report"),
            ...
        ],
    )

    @transaction.atomic
    def submit(actor, report, *, expected_version=None):
        report = WORKFLOW.begin(actor, report, "submit", expected_version=expected_version)
        ...                                   # the step's own work and checks
        return WORKFLOW.perform(actor, report, "submit")

The audit entry stores codes only: the event ``<app_label>.<verb>`` and the states as
``<app_label>.<model>.<field>:<value>``; :func:`portal.audit.state_label` renders them in the
reader's language. :meth:`Workflow.register_events` (called from the app's ``ready()``) adds
the step labels to the audit vocabulary, so a new step needs no second table.

A guard is a function ``guard(obj, user) -> str | None`` returning why the step cannot be
taken now (``None``: it can). It runs both when the page decides what to offer and when the
step is performed, so the two can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, gettext_lazy

from . import audit
from .permissions import can_access_org, ensure_org_access, ensure_perm

#: ``sources`` of a step allowed from every state (adding a note, registering a delivery).
ANY_STATE = "*"

Guard = Callable[[Any, Any], "str | None"]


@dataclass(frozen=True)
class Step:
    """One verb of a workflow: where it may start, where it leads, who may take it.

    ``sources`` empty means the step creates the record (there is no state before it);
    ``[ANY_STATE]`` allows it from every state. ``target`` ``None`` keeps the state.
    ``offered=False`` hides a step from staff pages (a citizen's own step, a background job's).
    """

    verb: str
    label: Any
    sources: tuple = ()
    target: str | None = None
    permission: str | None = None
    guard: Guard | None = None
    offered: bool = True
    params: dict = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self):
        object.__setattr__(self, "sources", tuple(self.sources))

    def starts_from(self, state) -> bool:
        return ANY_STATE in self.sources or state in self.sources


class Workflow:
    """The steps of one model's state field, and the only code that writes it."""

    def __init__(
        self,
        model: type[models.Model],
        steps: Iterable[Step],
        *,
        noun,
        state_field: str = "state",
        version_field: str | None = "version",
        organization_field: str | None = "organization",
        lock_related: Iterable[str] = ("organization",),
        messages: dict | None = None,
    ):
        self.model = model
        self.steps = {step.verb: step for step in steps}
        self.noun = noun
        self.state_field = state_field
        self.version_field = version_field
        self.organization_field = organization_field
        self.lock_related = tuple(lock_related)
        self.messages = {
            "missing": gettext_lazy("%(noun)s不存在。"),
            "stale": gettext_lazy(
                "该%(noun)s刚刚已被其他人处理（当前状态：%(state)s），您的操作没有执行。请刷新页面查看最新情况后再操作。"
            ),
            "wrong_state": gettext_lazy("该%(noun)s当前状态为“%(state)s”，不能执行“%(step)s”。"),
            **(messages or {}),
        }

    # --- the declaration ------------------------------------------------------------------

    @property
    def app_label(self) -> str:
        return self.model._meta.app_label

    def __getitem__(self, verb: str) -> Step:
        return self.steps[verb]

    def __contains__(self, verb: str) -> bool:
        return verb in self.steps

    def label(self, verb: str) -> str:
        return str(self.steps[verb].label)

    def code(self, verb: str) -> str:
        """The audit event code of a step."""
        return f"{self.app_label}.{verb}"

    def state_code(self, value) -> str:
        if value in (None, ""):
            return ""
        return f"{self.app_label}.{self.model._meta.model_name}.{self.state_field}:{value}"

    def register_events(self, extra: dict | None = None) -> None:
        """Add every step's label (and ``extra`` non-step events) to the audit vocabulary."""
        mapping = {verb: step.label for verb, step in self.steps.items()}
        mapping.update(extra or {})
        audit.register_events(self.app_label, mapping)

    # --- reading --------------------------------------------------------------------------

    def state_of(self, obj):
        return getattr(obj, self.state_field)

    def state_display(self, obj) -> str:
        return str(getattr(obj, f"get_{self.state_field}_display")())

    def allowed(self, obj) -> set[str]:
        """Verbs whose state precondition holds now (permissions and guards not asked)."""
        state = self.state_of(obj)
        return {verb for verb, step in self.steps.items() if step.starts_from(state)}

    def refusal(self, user, obj, verb: str) -> str | None:
        """Why ``user`` cannot take ``verb`` on ``obj`` now, or ``None`` if they can."""
        step = self.steps[verb]
        if not step.starts_from(self.state_of(obj)):
            return self._wrong_state(obj, step)
        if user is not None and step.permission:
            if not (getattr(user, "is_active", False) and user.has_perm(step.permission)):
                return gettext("您没有执行此操作的权限。")
            org = self._organization(obj)
            if org is not None and not can_access_org(user, org):
                return gettext("您只能处理本机构及下级机构的数据。")
        if step.guard is not None:
            reason = step.guard(obj, user)
            if reason:
                return str(reason)
        return None

    def available_steps(self, user, obj) -> list[Step]:
        """The steps a staff page offers ``user`` on ``obj``: state, permission, organisation and guard hold."""
        return [
            step
            for verb, step in self.steps.items()
            if step.offered and step.sources and self.refusal(user, obj, verb) is None
        ]

    # --- changing -------------------------------------------------------------------------

    def lock(self, obj, expected_version=None):
        """The row, locked for this transaction; refuses if someone acted since ``expected_version``."""
        pk = getattr(obj, "pk", obj)
        # Only this row: a nullable related row (an outbox message's organisation) would be the
        # outer side of a join, which PostgreSQL cannot lock.
        queryset = self.model._default_manager.select_for_update(of=("self",))
        if self.lock_related:
            queryset = queryset.select_related(*self.lock_related)
        try:
            locked = queryset.get(pk=pk)
        except (self.model.DoesNotExist, ValueError, TypeError):
            raise ValidationError(str(self.messages["missing"]) % {"noun": self.noun}) from None
        if expected_version not in (None, "") and self.version_field:
            try:
                expected = int(expected_version)
            except (TypeError, ValueError):
                expected = None
            if expected != getattr(locked, self.version_field):
                raise ValidationError(
                    str(self.messages["stale"]) % {"noun": self.noun, "state": self.state_display(locked)}
                )
        return locked

    def check(self, actor, obj, verb: str) -> None:
        """Refuse the step: PermissionDenied for who, ValidationError for when (state or guard)."""
        step = self.steps[verb]
        if step.permission:
            ensure_perm(actor, step.permission)
            org = self._organization(obj)
            if org is not None:
                ensure_org_access(actor, org)
        if step.sources and not step.starts_from(self.state_of(obj)):
            raise ValidationError(self._wrong_state(obj, step))
        if step.guard is not None:
            reason = step.guard(obj, actor)
            if reason:
                raise ValidationError(str(reason))

    def begin(self, actor, obj, verb: str, *, expected_version=None):
        """Lock and check: the start of every step's service function (inside its transaction)."""
        locked = self.lock(obj, expected_version)
        self.check(actor, locked, verb)
        return locked

    def perform(
        self,
        actor,
        obj,
        verb: str,
        *,
        comment: str = "",
        save: bool = True,
        from_code: str | None = None,
        to_code: str | None = None,
        **params,
    ):
        """Write the step's state (if it has a target), bump the version, save and audit it.

        ``from_code``/``to_code`` name the change for a step that keeps the state but moves a
        second field (a disclosure item's validity); by default they are the state's.
        """
        step = self.steps[verb]
        before = self.state_of(obj)
        if step.target is not None:
            setattr(obj, self.state_field, step.target)
        if self.version_field:
            setattr(obj, self.version_field, (getattr(obj, self.version_field) or 0) + 1)
        if save:
            obj.save()
        moved = step.target is not None
        if from_code is None:
            from_code = self.state_code(before) if moved and step.sources else ""
        if to_code is None:
            to_code = self.state_code(step.target) if moved else ""
        audit.record_event(
            self.code(verb),
            actor=actor,
            target=obj,
            comment=comment,
            from_code=from_code,
            to_code=to_code,
            **params,
        )
        return obj

    def record(self, actor, obj, verb: str, *, comment: str = "", **params):
        """Audit a step that changes no state and no version (a note, a file, a view)."""
        return audit.record_event(self.code(verb), actor=actor, target=obj, comment=comment, **params)

    # --- helpers --------------------------------------------------------------------------

    def _organization(self, obj):
        if not self.organization_field:
            return None
        return getattr(obj, self.organization_field, None)

    def _wrong_state(self, obj, step: Step) -> str:
        return str(self.messages["wrong_state"]) % {
            "noun": self.noun,
            "state": self.state_display(obj),
            "step": step.label,
        }

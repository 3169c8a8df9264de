"""The steps of the request page: for each verb, its form and the service call it makes.

The page offers exactly ``services.available_steps(user, req)`` — the workflow's state,
permission, organisation and guard checks — so a button is shown only when the service would
accept it, and the service refuses with the same reason if the page is stale.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms

from . import forms, services
from .models import Request


@dataclass(frozen=True)
class Action:
    """A step as the page offers it: the form to fill in, and how its cleaned data call the service."""

    form: type[django_forms.Form]
    run: Callable[[Any, Request, dict, dict], Any]  # (user, req, cleaned data, {"expected_version": …})


ACTIONS: dict[str, Action] = {
    "register": Action(
        forms.RegisterForm,
        lambda user, req, data, v: services.register(user, req, receipt_date=data.get("receipt_date"), **v),
    ),
    "begin_review": Action(forms.SimpleStepForm, lambda user, req, data, v: services.begin_review(user, req, **v)),
    "request_supplement": Action(
        forms.SupplementRequestForm,
        lambda user, req, data, v: services.request_supplement(
            user, req, items=data["items"], deadline=data.get("deadline"), on=data.get("on"), **v
        ),
    ),
    "supplement": Action(
        forms.StaffSupplementForm,
        lambda user, req, data, v: services.supplement(
            req, text=data.get("text", ""), files=data.get("files"), actor=user, received_on=data.get("on"), **v
        ),
    ),
    "close_unsupplemented": Action(
        forms.SimpleStepForm, lambda user, req, data, v: services.close_unsupplemented(user, req, **v)
    ),
    "accept": Action(
        forms.HandlerForm, lambda user, req, data, v: services.accept(user, req, handler=data.get("handler"), **v)
    ),
    "assign_handler": Action(
        forms.HandlerForm, lambda user, req, data, v: services.assign_handler(user, req, data["handler"], **v)
    ),
    "start_consultation": Action(
        forms.ConsultationForm,
        lambda user, req, data, v: services.start_consultation(
            user, req, reason=data["reason"], party=data["party"], on=data.get("on"), note=data.get("note", ""), **v
        ),
    ),
    "end_consultation": Action(
        forms.ResumeForm,
        lambda user, req, data, v: services.end_consultation(
            user, req, on=data.get("on"), note=data.get("note", ""), **v
        ),
    ),
    "request_extension": Action(
        forms.ExtensionRequestForm,
        lambda user, req, data, v: services.request_extension(user, req, days=data["days"], reason=data["reason"], **v),
    ),
    "approve_extension": Action(
        forms.ExtensionDecisionForm, lambda user, req, data, v: services.approve_extension(user, req, **v)
    ),
    "reject_extension": Action(
        forms.ExtensionDecisionForm,
        lambda user, req, data, v: services.reject_extension(user, req, comment=data.get("comment", ""), **v),
    ),
    "issue_fee_notice": Action(
        forms.FeeForm,
        lambda user, req, data, v: services.issue_fee_notice(
            user, req, basis=data["basis"], pages=data.get("pages"), on=data.get("on"), **v
        ),
    ),
    "record_fee_payment": Action(
        forms.ResumeForm, lambda user, req, data, v: services.record_fee_payment(user, req, on=data.get("on"), **v)
    ),
    "close_unpaid": Action(forms.SimpleStepForm, lambda user, req, data, v: services.close_unpaid(user, req, **v)),
    "reply": Action(
        forms.ReplyForm,
        lambda user, req, data, v: services.reply(
            user,
            req,
            outcome=data["outcome"],
            decision=data["decision"],
            legal_basis=data.get("legal_basis", ""),
            files=data.get("files"),
            on=data.get("on"),
            **v,
        ),
    ),
    "withdraw": Action(
        forms.WithdrawStaffForm,
        lambda user, req, data, v: services.withdraw(
            req, actor=user, reason=data.get("reason", ""), on=data.get("on"), **v
        ),
    ),
    "archive": Action(forms.SimpleStepForm, lambda user, req, data, v: services.archive(user, req, **v)),
    # Neither form nor service takes a version: a second click finds the draft and is refused.
    "make_disclosure_draft": Action(
        forms.SimpleStepForm, lambda user, req, data, v: services.make_disclosure_draft(user, req)
    ),
}


def available_actions(user, req: Request) -> list[str]:
    """The verbs to offer on the page: those the workflow would accept now and the page has a form for."""
    return [verb for verb in services.available_steps(user, req) if verb in ACTIONS]


def make_form(verb: str, req: Request, data=None, files=None) -> django_forms.Form:
    kwargs = {"initial": {"version": req.version}}
    if verb in ("accept", "assign_handler"):
        kwargs["handlers"] = services.eligible_handlers(req.organization)
        kwargs["initial"]["handler"] = req.handler_id
    form = ACTIONS[verb].form(data, files, auto_id=f"{verb}-%s", **kwargs)
    if verb == "assign_handler":
        form.fields["handler"].required = True
    return form


def run_step(user, verb: str, req: Request, data: dict):
    """Call the service of ``verb`` with the cleaned form data."""
    return ACTIONS[verb].run(user, req, data, {"expected_version": data.get("version")})

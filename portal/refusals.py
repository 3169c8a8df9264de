"""Showing a refusal to the person who asked, in one way everywhere.

Services refuse with ``ValidationError`` (a bad value, a step not possible now) or
``PermissionDenied``; the view shows the reason and changes nothing. A form page puts the
reason on the field it concerns (or on top of the form); an action button's page shows it
as a message after the redirect.
"""

from __future__ import annotations

from django.contrib import messages


def add_to_form(form, exc) -> None:
    """Put a service's ``ValidationError`` on the form: per field when it names fields the form has."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def to_messages(request, exc) -> None:
    """Show a refusal (``ValidationError`` or ``PermissionDenied``) as error messages."""
    for message in getattr(exc, "messages", [str(exc)]):
        messages.error(request, message)


def form_to_messages(request, form) -> None:
    """Show an invalid form's errors as messages (an action posted from a page without the form)."""
    for field_errors in form.errors.values():
        for message in field_errors:
            messages.error(request, message)

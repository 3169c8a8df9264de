"""Gapless number series: registration numbers, notice numbers, 索引号 serials.

The law's registers need numbers that never repeat and leave no holes an inspector would
ask about (a missing 〔2026〕第0012号 looks like a destroyed application). A number is taken
under a row lock inside the caller's transaction, so concurrent intake waits its turn and a
rolled-back step gives its number back. Each app keeps its own counter model (its key
differs: organisation and year, and for requests a series); this is the one way to use it.
"""

from __future__ import annotations

from django.db import models


def locked_counter(model: type[models.Model], **key) -> models.Model:
    """The counter row of ``key``, created at zero if missing, locked for this transaction."""
    model._default_manager.bulk_create([model(**key)], ignore_conflicts=True)
    return model._default_manager.select_for_update().get(**key)


def take_next(model: type[models.Model], *, field: str = "last", **key) -> int:
    """Advance the counter of ``key`` by one and return the new value."""
    counter = locked_counter(model, **key)
    value = getattr(counter, field) + 1
    setattr(counter, field, value)
    counter.save(update_fields=[field])
    return value

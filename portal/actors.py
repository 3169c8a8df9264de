"""Who to record as having done something.

A citizen's own step (an online application, a supplement, a withdrawal) and a background
job have no staff account behind them: the record then names nobody rather than the
anonymous user object, which a foreign key cannot hold.
"""

from __future__ import annotations


def recorded_actor(actor):
    """``actor`` if it is a signed-in account, else ``None``."""
    return actor if getattr(actor, "is_authenticated", False) else None

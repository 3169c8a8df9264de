"""Links from a published item to what higher apps hold about it ("related links" hook).

Disclosure sits low in the layers and cannot import the apps above it, yet an item page
should say, for example, that the policy was put out for comment first and where the
feedback is. So apps above register a *provider* in their ``AppConfig.ready()``:
``provider(item) -> iterable of {"label": str, "url": str, "note": str}``; the item page
renders whatever the providers return (template tag ``related_links`` in
``disclosure_related``). A provider's query runs once per item page; a provider that fails
is skipped and logged, so a fault above never takes the item page down.
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

_PROVIDERS: list = []


def register(provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def links_for(item) -> list[dict]:
    links = []
    for provider in list(_PROVIDERS):
        try:
            links.extend(provider(item) or ())
        except Exception:  # an app above must not break the item page
            logger.exception("related-links provider %r failed for item %s", provider, getattr(item, "pk", None))
    return links

"""Links from a request's staff page to records of higher apps that refer to it.

Apps above ``requests_app`` (the letters mailbox, whose letters may become requests)
register a provider ``provider(request) -> [(label, url), ...]`` in their ``ready()``;
this app never imports them, so the layer order holds.
"""

_PROVIDERS = []


def register(provider):
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def for_request(request):
    links = []
    for provider in _PROVIDERS:
        links.extend(provider(request) or ())
    return links

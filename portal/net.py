"""The client's real address, behind any number of trusted reverse proxies.

A county runs the portal behind nginx (and sometimes a provincial gateway in front of
that), so ``REMOTE_ADDR`` is the proxy's address for every citizen. ``X-Forwarded-For``
is a list that each proxy appends to; everything left of the first proxy we trust was
written by the client and can be forged. So the address is the **right-most** entry that
is not itself a trusted proxy, and only when the request really came from a trusted proxy.
Every per-address limit, the audit log and the access log use this one function.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

UNKNOWN = "unknown"


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[ipaddress._BaseNetwork, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def parse_proxies(value: str | list | tuple) -> tuple[str, ...]:
    """Parse ``TRUSTED_PROXIES`` ("127.0.0.1, 10.0.0.0/8") into a tuple of networks as text.

    Raises ValueError naming the bad entry, so a typo in the environment stops start-up
    instead of silently trusting nobody (or everybody).
    """
    items = value.split(",") if isinstance(value, str) else list(value)
    result = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ValueError(f"TRUSTED_PROXIES: not an IP address or network: {item!r}") from None
        result.append(item)
    return tuple(result)


def _parse_ip(value: str):
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [::1]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 1.2.3.4:port
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def is_trusted(address, proxies: tuple[str, ...] | None = None) -> bool:
    ip = address if not isinstance(address, str) else _parse_ip(address)
    if ip is None:
        return False
    networks = _networks(proxies if proxies is not None else tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    return any(ip in network for network in networks)


def client_ip(request) -> str:
    """The address of the citizen (or officer) who sent ``request``, as text."""
    cached = getattr(request, "_portal_client_ip", None)
    if cached:
        return cached
    address = client_address(request.META)
    try:
        request._portal_client_ip = address
    except AttributeError:  # pragma: no cover - immutable request stand-ins
        pass
    return address


def client_address(meta) -> str:
    """:func:`client_ip` from a request's ``META`` (or a WSGI environ) alone."""
    return _client_address(
        meta.get("REMOTE_ADDR", "") or "",
        meta.get("HTTP_X_FORWARDED_FOR", ""),
        tuple(getattr(settings, "TRUSTED_PROXIES", ())),
    )


@lru_cache(maxsize=4096)
def _client_address(remote_addr: str, forwarded_for: str, proxies: tuple[str, ...]) -> str:
    """Remembered: parsing the addresses was a tenth of a cached page's time, and they repeat."""
    remote = _parse_ip(remote_addr)
    address = str(remote) if remote else UNKNOWN
    if remote is not None and proxies and is_trusted(remote, proxies):
        hops = [h for h in forwarded_for.split(",") if h.strip()]
        for hop in reversed(hops):
            ip = _parse_ip(hop)
            if ip is None:
                # A garbled entry: nothing left of it can be trusted either.
                break
            address = str(ip)
            if not is_trusted(ip, proxies):
                break
    return address

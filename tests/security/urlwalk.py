"""Every URL the portal routes, built from the resolver: the raw material of the generated tests.

Each pattern becomes a template such as ``/ysqgk/status/{number}/files/{pk}/`` with the
converter of each parameter, so a test can put a plausible value in every slot but one and a
hostile value in that one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote

from django.urls import get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern, URLPattern, URLResolver

_ROUTE_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>(?:[^()]|\([^()]*\))*)\)")


@dataclass
class Route:
    template: str  # "/a/{pk}/b/"
    params: dict = field(default_factory=dict)  # name -> converter ("int", "str", "slug", "path", "regex")
    choices: dict = field(default_factory=dict)  # regex group -> first alternative
    name: str = ""

    def build(self, **values) -> str:
        out = {}
        for name, conv in self.params.items():
            if name in values:
                out[name] = values[name]
            else:
                out[name] = default_value(conv, self.choices.get(name))
        return self.template.format(**out)


def default_value(conv, choice=None):
    if choice:
        return choice
    return {"int": "1", "slug": "x", "str": "1", "path": "1", "uuid": "00000000-0000-0000-0000-000000000001"}.get(
        conv, "1"
    )


def _route_piece(pattern):
    params, choices = {}, {}
    if isinstance(pattern, RoutePattern):
        text = str(pattern._route)

        def sub(match):
            params[match["name"]] = match["conv"] or "str"
            return "{" + match["name"] + "}"

        text = _ROUTE_PARAM.sub(sub, text.replace("{", "{{").replace("}", "}}"))
        return text, params, choices
    if isinstance(pattern, RegexPattern):
        text = pattern._regex

        def sub(match):
            name, body = match["name"], match["body"]
            params[name] = "regex"
            first = body.split("|")[0].strip("()")
            if re.fullmatch(r"[\w-]+", first):
                choices[name] = first
            return "{" + name + "}"

        text = _REGEX_GROUP.sub(sub, text)
        text = text.lstrip("^").replace("\\Z", "").rstrip("$").replace("\\.", ".").replace("\\/", "/")
        if re.search(r"[()\[\]*+?|\\]", text):
            return None
        return text, params, choices
    return None


def routes(resolver=None, prefix="/", params=None, choices=None, skip=()):
    """Every routable URL pattern as a :class:`Route`."""
    resolver = resolver or get_resolver()
    params = params or {}
    choices = choices or {}
    result = []
    for entry in resolver.url_patterns:
        piece = _route_piece(entry.pattern)
        if piece is None:
            continue
        text, more, more_choices = piece
        template = prefix + text
        all_params = {**params, **more}
        all_choices = {**choices, **more_choices}
        if isinstance(entry, URLResolver):
            result += routes(entry, template, all_params, all_choices, skip)
        elif isinstance(entry, URLPattern):
            if any(template.startswith(s) for s in skip):
                continue
            result.append(Route(template, all_params, all_choices, entry.name or ""))
    seen, unique = set(), []
    for route in result:
        if route.template not in seen:
            seen.add(route.template)
            unique.append(route)
    return unique


def q(value: str) -> str:
    """A path segment as a browser would send it (already percent-encoded values pass through)."""
    if value.startswith("%") or "%" in value[:3]:
        return value
    return quote(value, safe="")

"""The layer rule for templates, URL names and URL patterns (docs/architecture.md, 分层).

import-linter (pyproject.toml) keeps an app from importing the apps above it; a template can
still reach up through ``{% url %}``, ``{% include %}``, ``{% extends %}`` or ``{% load %}``,
and Python code through ``reverse("name")``. These tests close that door: each URL name
belongs to the app whose URLconf defines it, and an app may name only its own and those of
the apps below it (a lower page links to a place above it through ``portal/places.py``).
They also refuse a URL pattern hidden behind an earlier one (a name that reverses to a path
that another view answers), which is how ``catalog:annual_reports`` once pointed at the 年报.
"""

import re
import tomllib
from pathlib import Path
from types import ModuleType

import pytest
from django.conf import settings
from django.template import engines
from django.urls import Resolver404, get_resolver, resolve
from django.urls.resolvers import URLPattern, URLResolver

from portal import places
from tests.security.urlwalk import _route_piece, default_value

BASE = Path(settings.BASE_DIR)
TEMPLATES = BASE / "templates"
# A layer may hold independent siblings ("letters | consultations | corrections"): they share a rank.
_LEVELS = [
    [name.strip("() ") for name in level.split("|")]
    for level in tomllib.loads((BASE / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"][0]["layers"]
]
LAYERS = [app for level in _LEVELS for app in level]
RANK = {app: len(_LEVELS) - i for i, level in enumerate(_LEVELS) for app in level}  # portal 1 … column on top

# Patterns that answer before another on purpose: the admin's login is the portal's own view.
DELIBERATE_OVERRIDES = {"admin:login"}

URL_TAG = re.compile(r"""\{%\s*url\s+(['"])([\w:-]+)\1""")
TEMPLATE_REF = re.compile(r"""\{%\s*(?:include|extends)\s+(['"])([\w-]+)/[^'"]*\1""")
LOAD_TAG = re.compile(r"\{%\s*load\s+([^%]+?)\s*%\}")
PY_REVERSE = re.compile(r"""\b(?:reverse|reverse_lazy|redirect|resolve_url)\(\s*(['"])([\w:-]+)\1""")


def _module_name(urlconf):
    if isinstance(urlconf, str):
        return urlconf
    if isinstance(urlconf, ModuleType):
        return urlconf.__name__
    return None  # a list of patterns (the admin's): defined where it is included


def _walk(resolver, owner, namespaces, prefix, params):
    """(full name, owning app, path template, sample parameter values) of every named pattern."""
    for entry in resolver.url_patterns:
        piece = _route_piece(entry.pattern)
        more = dict(params)
        if piece:
            text, converters, choices = piece
            more.update({p: default_value(conv, choices.get(p)) for p, conv in converters.items()})
        path = prefix + text if piece and prefix is not None else None
        if isinstance(entry, URLResolver):
            module = _module_name(entry.urlconf_name)
            inner_owner = module.split(".")[0] if module else owner
            inner = namespaces + [entry.namespace] if entry.namespace else namespaces
            yield from _walk(entry, inner_owner, inner, path, more)
        elif isinstance(entry, URLPattern) and entry.name:
            yield ":".join(namespaces + [entry.name]), owner, path, more


def named_patterns():
    root = get_resolver()
    return list(_walk(root, _module_name(root.urlconf_name).split(".")[0], [], "/", {}))


def owners():
    result = {}
    for name, owner, _path, _params in named_patterns():
        result.setdefault(name, owner)
    return result


def _template_files():
    """(app, file) for templates/<app>/ and templates/admin/<app>/ of every layered app."""
    for app in LAYERS:
        for folder in (TEMPLATES / app, TEMPLATES / "admin" / app):
            for path in sorted(folder.rglob("*.html")):
                yield app, path


def _library_owners():
    return {name: module.split(".")[0] for name, module in engines["django"].engine.libraries.items()}


def test_the_layers_are_the_installed_apps_with_the_column_on_top():
    assert LAYERS[0] == "column" and LAYERS[-1] == "portal"
    assert set(LAYERS) <= set(settings.INSTALLED_APPS)


def test_no_template_of_an_app_links_to_includes_or_loads_from_an_app_above_it():
    known, libraries = owners(), _library_owners()
    problems = []
    for app, path in _template_files():
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(BASE)
        for _quote, name in URL_TAG.findall(text):
            owner = known.get(name)
            if owner is None:
                problems.append(f"{where}: no URL is named {name!r}")
            elif RANK.get(owner, 0) > RANK[app]:
                problems.append(f"{where}: links to {name!r} of {owner}, above {app}")
        for _quote, folder in TEMPLATE_REF.findall(text):
            if RANK.get(folder, 0) > RANK[app]:
                problems.append(f"{where}: uses a template of {folder}, above {app}")
        for load in LOAD_TAG.findall(text):
            for library in load.split():
                if RANK.get(libraries.get(library), 0) > RANK[app]:
                    problems.append(f"{where}: loads {library!r} of {libraries[library]}, above {app}")
    assert not problems, "\n".join(problems)


def test_no_python_module_of_an_app_reverses_a_url_name_of_an_app_above_it():
    known = owners()
    problems = []
    for app in LAYERS:
        for path in sorted((BASE / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for _quote, name in PY_REVERSE.findall(path.read_text(encoding="utf-8")):
                owner = known.get(name)
                if owner is not None and RANK.get(owner, 0) > RANK[app]:
                    problems.append(f"{path.relative_to(BASE)}: reverses {name!r} of {owner}, above {app}")
    assert not problems, "\n".join(problems)


def test_the_rule_catches_a_link_up(tmp_path):
    """The scan above is no test that cannot fail: a disclosure template naming the column fails it."""
    text = '{% load i18n %}<a href="{% url \'column:index\' %}">x</a>{% include "column/_nav.html" %}'
    owner = owners()[URL_TAG.findall(text)[0][1]]
    assert RANK[owner] > RANK["disclosure"]
    assert RANK[TEMPLATE_REF.findall(text)[0][1]] > RANK["disclosure"]


def test_every_place_a_template_links_to_is_served_by_an_installed_app():
    used = set()
    for path in TEMPLATES.rglob("*.html"):
        used |= set(re.findall(r"""\{%\s*place_url\s+['"](\w+)['"]""", path.read_text(encoding="utf-8")))
    assert used, "no template links to a place"
    assert used <= set(places.PLACES), used - set(places.PLACES)
    assert used <= set(places.served()), used - set(places.served())
    known = owners()
    for place, name in places.served().items():
        assert name in known, (place, name)


def test_no_url_name_is_shadowed_by_an_earlier_pattern():
    """Every named pattern answers its own reversed path (with plausible parameters)."""
    problems = []
    for name, _owner, path, values in named_patterns():
        if path is None or name in DELIBERATE_OVERRIDES:
            continue
        sample = path.format(**values)
        try:
            match = resolve(sample)
        except Resolver404:
            continue  # a parameter the sample value does not fit (a regex); nothing to compare
        if match.view_name != name:
            problems.append(f"{sample}: {name!r} is answered by {match.view_name or match.func!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "name, path",
    [
        ("annual:list", "/zwgk/annual-reports/"),
        ("column:index", "/zwgk/"),
        ("column:policies", "/zwgk/xxgk/policies/"),
        ("home", "/"),
        ("site_map", "/wzdt/"),
    ],
)
def test_the_column_pages_resolve_to_their_own_names(name, path):
    assert resolve(path).view_name == name


def test_the_column_serves_the_places_the_lower_pages_link_to():
    assert places.url("column") == "/zwgk/" and places.url("guide") == "/zwgk/guide/"
    assert places.url("catalog_entry", 5) == "/zwgk/fdzdgknr/entry/5/"
    assert places.url("home") == "/"


def test_a_misspelt_place_fails_at_once_and_an_unserved_one_links_nowhere(monkeypatch):
    with pytest.raises(KeyError):
        places.url("colum")
    with pytest.raises(KeyError):
        places.serve("colum", "column:index")
    monkeypatch.setattr(places, "_served", {})
    assert places.url("column") == ""

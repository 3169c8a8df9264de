"""The demo county loaded once per test that walks the URL space, and the forms' field names."""

import importlib
import io

import pytest
from django import forms


@pytest.fixture
def demo_county(db, settings, tmp_path):
    """The whole demo county (what ``make run`` shows), its files in a temporary directory."""
    from django.core.management import call_command

    settings.REQUESTS_PRIVATE_ROOT = tmp_path / "private"
    settings.DISCLOSURE_FILES_ROOT = tmp_path / "disclosure-files"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REQUESTS_FORM_MIN_SECONDS = 0
    call_command("load_demo", "--without-debug", stdout=io.StringIO())


def form_field_names():
    """Every field name of every form the portal defines: what a hostile POST fills in."""
    for module in (
        "portal.forms",
        "catalog.forms",
        "disclosure.forms",
        "requests_app.forms",
        "annual.forms",
        "consultations.forms",
        "corrections.forms",
    ):
        try:
            importlib.import_module(module)
        except ImportError:
            pass
    names = set()
    stack = [forms.BaseForm]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in (
            "portal",
            "catalog",
            "disclosure",
            "requests_app",
            "consultations",
            "corrections",
        ):
            names.update(getattr(cls, "base_fields", {}))
    return sorted(names)

"""The interaction tests' county (tests/consultations/conftest.py) serves 我要纠错 too."""

from tests.consultations.conftest import _forms, county, published_item, today  # noqa: F401

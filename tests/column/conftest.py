"""The column reads disclosure items: its tests use the disclosure tests' small county."""

from tests.disclosure.conftest import county, make_item, publish_item  # noqa: F401

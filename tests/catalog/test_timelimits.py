"""Reading the working-day number out of 公开时限 texts as real catalogs write them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog.timelimits import parse_display_days, parse_time_limit_days


@pytest.mark.parametrize(
    ("text", "days", "display"),
    [
        ("制定或获取信息之日起10个工作日内", 10, None),
        ("制定或获取信息之日起10个工作日内，公示7个工作日", 10, 7),
        ("实时公开", None, None),
        ("信息形成或变更之日起20个工作日内", 20, None),
        ("十个工作日", 10, None),
        ("二十个工作日内", 20, None),
        ("十五个工作日内", 15, None),
        ("两个工作日内", 2, None),
        # A display period alone states no publication limit.
        ("公示7个工作日", None, 7),
        # Counted from the end of the display: a limit, not a display period.
        ("公示期满后5个工作日内", 5, None),
        ("公示期不少于7个工作日，公示结束后10个工作日内公开", 10, 7),
        # Cells broken by line feeds in the middle of a word.
        ("制定或获取信息之日起\n10个工作\n日内", 10, None),
        # Calendar days and dates are not working days.
        ("15日内", None, None),
        ("每年3月31日前", None, None),
        ("", None, None),
        # A typing slip must not become a number the column cannot hold.
        ("制定或获取信息之日起100000个工作日内", None, None),
    ],
)
def test_time_limit_texts(text, days, display):
    assert parse_time_limit_days(text) == days
    assert parse_display_days(text) == display


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=1, max_value=30))
def test_any_stated_limit_is_read_and_the_display_period_ignored(days, display):
    text = f"制定或获取信息之日起{days}个工作日内，公示{display}个工作日"
    assert parse_time_limit_days(text) == days
    assert parse_display_days(text) == display


def test_none_text_has_no_limit():
    assert parse_time_limit_days(None) is None
    assert parse_display_days(None) is None

"""Statistics charts drawn on the server as SVG with pygal; the script pygal adds is removed.

Every chart is shown next to a table with the same numbers (the page is the
source of truth; the chart only helps the eye), so the SVG carries a title
and no interactive tooltips.
"""

import re

import pygal
from pygal.style import Style

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#222222",
    foreground_strong="#222222",
    foreground_subtle="#dddddd",
    opacity=".9",
    opacity_hover=".9",
    transition="0s",
    colors=("#b3161c", "#0b4f8a", "#e0a800", "#1d6b2c", "#7a5b00", "#555555", "#8a3ffc"),
    font_family='"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif',
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    title_font_size=16,
    value_font_size=12,
)


def _config(title, **extra):
    config = dict(
        title=title,
        style=STYLE,
        js=[],
        width=720,
        height=360,
        show_y_guides=True,
        print_values=False,
        legend_at_bottom=True,
        truncate_legend=-1,
        truncate_label=-1,
        explicit_size=False,
        margin=10,
    )
    config.update(extra)
    return config


def _whole_numbers(top):
    """Axis ticks for counts: whole numbers only, at most about eight of them."""
    step = max(1, -(-top // 8))
    return list(range(0, top + step + 1, step)) if top else [0, 1]


_SCRIPT = re.compile(rb"<script\b.*?</script>", re.S)


def render(table):
    """The SVG of a :class:`annual.stats.Table` (bytes), without script."""
    return _SCRIPT.sub(b"", _chart(table).render())


def _chart(table):
    title = table.title
    numeric = [
        h for i, h in enumerate(table.headers[1:], start=1) if all(isinstance(r[i], (int, float)) for r in table.rows)
    ]
    labels = [str(r[0]) for r in table.rows]
    if table.name == "timeliness":
        values = {r[0]: r[1] for r in table.rows}
        rows = list(values.items())
        chart = pygal.Pie(**_config(title, inner_radius=0.45, legend_at_bottom_columns=2))
        chart.add(str(rows[1][0]), rows[1][1])
        chart.add(str(rows[2][0]), rows[2][1])
        return chart
    if table.chart == "pie":
        chart = pygal.Pie(
            **_config(title, inner_radius=0.45, legend_at_bottom_columns=1, height=300 + 24 * len(table.rows))
        )
        for row in table.rows:
            chart.add(str(row[0]), row[1])
        return chart
    if table.chart == "hbar":
        height = max(240, 40 + 32 * len(table.rows))
        chart = pygal.HorizontalBar(**_config(title, height=height, show_legend=len(numeric) > 1))
    else:
        chart = pygal.Bar(**_config(title, show_legend=len(numeric) > 1, x_label_rotation=0))
    chart.x_labels = labels
    chart.y_labels = _whole_numbers(
        max([r[i] for r in table.rows for i, h in enumerate(table.headers[1:], start=1) if h in numeric] or [0])
    )
    for i, header in enumerate(table.headers[1:], start=1):
        if header in numeric:
            chart.add(str(header), [r[i] for r in table.rows])
    return chart

"""The statistics page's charts: SVG images served apart from the page, their numbers those of the table."""

import re

from django.test import Client
from django.urls import reverse

from letters import services


def _numbers(svg):
    """The values pygal writes into the chart, one per bar or slice, in drawing order."""
    return [int(float(v)) for v in re.findall(r'<desc class="value">([0-9.]+)</desc>', svg)]


def test_monthly_and_satisfaction_charts_match_their_tables(county, today, write):
    first, code = write(county.civil)
    write(county.civil)
    write(county.east)
    services.accept(county.officer, first)
    first = services.reply(county.officer, first, text="答复")
    services.rate(first, "satisfied")
    year = today.date().year
    client = Client()
    page = client.get(reverse("letters:statistics") + f"?year={year}").content.decode()
    monthly_url = reverse("letters:statistics_chart", args=["monthly"])
    assert f'src="{monthly_url}?year={year}"' in page
    assert "<script" not in page.split("<main", 1)[-1].split("</main>")[0]
    table = page.split('id="table-monthly"', 1)[1].split("</table>", 1)[0]
    june = re.search(r"<th scope=\"row\">6月</th><td[^>]*>(\d+)</td><td[^>]*>(\d+)</td>", table)
    assert june.groups() == ("3", "1")

    response = client.get(monthly_url + f"?year={year}")
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert "<script" not in svg
    values = _numbers(svg)
    # Received for twelve months, then answered for twelve: June is the sixth of each.
    assert len(values) == 24 and values[5] == 3 and values[17] == 1 and sum(values) == 4

    satisfaction = client.get(reverse("letters:statistics_chart", args=["satisfaction"]) + f"?year={year}")
    assert _numbers(satisfaction.content.decode()) == [1, 0, 0]
    sat_table = page.split('id="table-satisfaction"', 1)[1].split("</table>", 1)[0]
    assert re.search(r"满意</th><td[^>]*>1</td>", sat_table)


def test_an_unknown_chart_is_404(db):
    assert Client().get(reverse("letters:statistics_chart", args=["nothing"])).status_code == 404

import datetime as dt

from portal.workdays import add_working_days


def test_home_page_names_the_county_and_links_the_column(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    assert "示范县人民政府" in response.content.decode()
    assert "/zwgk/" in response.content.decode()


def test_national_day_2026_deadline(db):
    assert add_working_days(dt.date(2026, 9, 25), 20) == dt.date(2026, 10, 29)

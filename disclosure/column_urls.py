"""The column's URLs (``/zwgk/``, namespace ``catalog``): catalog's sub-column pages plus the two that show items.

``portal/urls.py`` includes this module instead of ``catalog.urls``. The
landing and the 制度 page come from :mod:`disclosure.column` (they read
disclosure items, which ``catalog`` may not); every other route is catalog's
own, unchanged, so ``catalog:guide``, ``catalog:statutory`` … keep working.
"""

from django.urls import path

from catalog import urls as catalog_urls

from . import column

app_name = "catalog"

urlpatterns = [
    path("", column.column, name="column"),
    path("rules/", column.rules, name="rules"),
    *catalog_urls.urlpatterns,
]

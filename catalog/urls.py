"""The catalog's pages of the column. The landing (``""``) and the 制度 page (``rules/``) show
disclosure items and come from ``disclosure.column_urls``, which mounts these under the same
``catalog`` namespace."""

from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("guide/", views.guide, name="guide"),
    path("fdzdgknr/", views.statutory, name="statutory"),
    path("fdzdgknr/domain/<int:pk>/", views.domain, name="domain"),
    path("fdzdgknr/entry/<int:pk>/", views.entry, name="entry"),
    path("fdzdgknr/org/<int:pk>/", views.organization_catalog, name="organization"),
    path("annual-reports/", views.annual_reports, name="annual_reports"),
    path("search/", views.search, name="search"),
]

from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.column, name="column"),
    path("guide/", views.guide, name="guide"),
    path("rules/", views.rules, name="rules"),
    path("fdzdgknr/", views.statutory, name="statutory"),
    path("fdzdgknr/domain/<int:pk>/", views.domain, name="domain"),
    path("fdzdgknr/entry/<int:pk>/", views.entry, name="entry"),
    path("fdzdgknr/org/<int:pk>/", views.organization_catalog, name="organization"),
    path("annual-reports/", views.annual_reports, name="annual_reports"),
    path("search/", views.search, name="search"),
]

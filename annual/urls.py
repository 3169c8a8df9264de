"""Public pages of the 年报 sub-column, mounted at /zwgk/annual-reports/ ahead of the catalog's URLs."""

from django.urls import path

from . import stats_views, views

app_name = "annual"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("<int:pk>/", views.report_detail, name="report"),
    path("<int:pk>/xlsx/", views.report_xlsx, name="report_xlsx"),
    path("<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("statistics/", stats_views.public_statistics, name="statistics"),
    path("statistics/chart/<slug:name>.svg", stats_views.public_chart, name="statistics_chart"),
    path("statistics/table/<slug:name>.csv", stats_views.public_csv, name="statistics_csv"),
]

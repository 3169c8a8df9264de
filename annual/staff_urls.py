"""The officials' pages under /staff/annual/."""

from django.urls import path

from . import staff_views as views
from . import stats_views

app_name = "annual_staff"

urlpatterns = [
    path("", views.board, name="board"),
    path("generate/", views.generate, name="generate"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/text/", views.edit_text, name="text"),
    path("<int:pk>/act/<slug:verb>/", views.act, name="act"),
    path("<int:pk>/xlsx/", views.download_xlsx, name="xlsx"),
    path("<int:pk>/pdf/", views.download_pdf, name="pdf"),
    path("statistics/", stats_views.dashboard, name="dashboard"),
    path("statistics/chart/<slug:name>.svg", stats_views.staff_chart, name="chart"),
    path("statistics/table/<slug:name>.csv", stats_views.staff_csv, name="csv"),
]

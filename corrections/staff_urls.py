"""The officials' pages under /staff/corrections/."""

from django.urls import path

from . import staff_views as views

app_name = "corrections_staff"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("statistics/", views.statistics, name="statistics"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/<slug:verb>/", views.act, name="act"),
]

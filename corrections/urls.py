"""Public pages under /hdjl/jc/ (我要纠错)."""

from django.urls import path

from . import views

app_name = "corrections"

urlpatterns = [
    path("", views.report, name="report"),
    path("cx/", views.lookup, name="lookup"),
]

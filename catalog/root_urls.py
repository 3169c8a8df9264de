"""Pages of the column that sit at the site root (portal/urls.py includes this by name)."""

from django.urls import path

from . import views

urlpatterns = [
    path("wzdt/", views.site_map, name="site_map"),
]

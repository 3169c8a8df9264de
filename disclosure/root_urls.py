"""URLs that must sit at the site root (portal/urls.py includes this by name, importing nothing)."""
from django.contrib.sitemaps.views import sitemap
from django.urls import path

from .sitemaps import SITEMAPS

urlpatterns = [
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]

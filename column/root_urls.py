"""The column's pages at the site root: the home page, the 网站地图 and the XML sitemaps.

``/sitemap.xml`` is a sitemap *index* (search engines read at most 50,000 URLs per file); each
section is its own file, paged with ``?p=`` so every published item is listed.
"""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from disclosure.sitemaps import URLSET_TEMPLATE
from portal.pagecache import public_page

from . import views
from .sitemaps import SITEMAPS

urlpatterns = [
    path("", views.home, name="home"),
    path("wzdt/", views.site_map, name="site_map"),
    path(
        "sitemap.xml",
        public_page(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        public_page(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS, "template_name": URLSET_TEMPLATE},
        name="sitemap-section",
    ),
]

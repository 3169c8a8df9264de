"""URLs that must sit at the site root (portal/urls.py includes this by name, importing nothing).

``/sitemap.xml`` is a sitemap *index* (search engines read at most 50,000 URLs per file);
each section is its own file, paged with ``?p=`` so every published item is listed.
"""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from portal.pagecache import public_page

from .sitemaps import SITEMAPS, URLSET_TEMPLATE

urlpatterns = [
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

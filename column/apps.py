from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ColumnConfig(AppConfig):
    name = "column"
    verbose_name = _("政府信息公开专栏")

    def ready(self):
        from portal import places

        # The lower apps' pages link to these places (breadcrumbs, 公开标准 links), never to our URLs.
        # We have no models: the apps below bump the page cache when what our pages show changes.
        for place, url_name in {
            "home": "home",
            "column": "column:index",
            "guide": "column:guide",
            "statutory": "column:statutory",
            "catalog_domain": "column:domain",
            "catalog_entry": "column:entry",
            "catalog_organization": "column:organization",
        }.items():
            places.serve(place, url_name)

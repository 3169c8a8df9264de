from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("标准目录")

    def ready(self):
        from portal.pagecache import watch

        from .models import Adjustment, Adoption, CatalogEntry

        # Every catalog change reaches the public catalog pages; bulk adoptions write an Adjustment.
        for model in (CatalogEntry, Adoption, Adjustment):
            watch(model)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("基础设置")

    def ready(self):
        from . import security, signals  # noqa: F401

        security.connect_axes()
        security.connect_m2m()

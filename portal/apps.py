from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("基础设置")

    def ready(self):
        from . import security, signals, textinput  # noqa: F401
        from .models import Organization, SiteSettings
        from .pagecache import watch

        security.connect_axes()
        security.connect_m2m()
        watch(Organization)  # names, addresses and the tree show on public pages
        watch(SiteSettings)  # the footer of every page
        textinput.install()

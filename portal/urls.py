from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from django.views.static import serve

from . import display, health, language, views

handler400 = "portal.views.bad_request"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("i18n/lang/<str:code>/", language.choose, name="choose_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    # 适老化与无障碍: the toolbar's display modes, set by plain links (portal/display.py).
    path("display/reset/", display.reset, name="display_reset"),
    path("display/<str:mode>/<str:state>/", display.choose, name="display_mode"),
    # Staff land on their role's workbench after logging in (portal.views.staff_login).
    path("admin/login/", views.staff_login),
    path("admin/", admin.site.urls),
    path("favicon.ico", views.favicon, name="favicon"),
    # The JavaScript strings of third-party widgets (the 正文 editor) in the reader's language.
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_prose_editor"], domain="djangojs"),
        name="javascript_catalog",
    ),
    path("site-logo/<str:sha>/", views.site_logo, name="site_logo"),
    # The home page, the 网站地图 and the sitemaps (column.root_urls); the column itself at /zwgk/.
    # No two of these patterns match one path, so their order shadows nothing.
    path("", include("column.root_urls")),
    path("zwgk/", include("column.urls")),
    path("zwgk/xxgk/", include("disclosure.urls")),
    path("zwgk/annual-reports/", include("annual.urls")),
    path("gkgl/", include("disclosure.staff_urls")),
    path("ysqgk/", include("requests_app.urls")),
    path("staff/requests/", include("requests_app.staff_urls")),
    path("staff/annual/", include("annual.staff_urls")),
    # 互动交流 — the letters mailbox: public under /hdjl/xx/, the offices' queue under /staff/letters/.
    path("hdjl/xx/", include("letters.urls")),
    path("staff/letters/", include("letters.staff_urls")),
    # 互动交流: 意见征集 (consultations) and 我要纠错 (corrections), public and staff.
    path("hdjl/yjzj/", include("consultations.urls")),
    path("hdjl/jc/", include("corrections.urls")),
    path("staff/consultations/", include("consultations.staff_urls")),
    path("staff/corrections/", include("corrections.staff_urls")),
    path("staff/outbox/", views.outbox, name="outbox"),
    path("staff/outbox/<int:pk>/resend/", views.outbox_resend, name="outbox_resend"),
    # Accounts (staff login landing, two-factor, own password) and the audit page.
    path("account/", include("portal.account_urls")),
    path("staff/audit/", include("portal.audit_urls")),
]

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

# A database error outside a view (e.g. saving the session) is a 503 too, not a 500.
handler500 = "portal.middleware.server_error"

"""The yardstick of ``make bench-http``: a bare Django view returning 20 KiB.

Same gunicorn settings as the portal (3 sync workers, DEBUG off); no
database, no middleware, no template. Every page of the portal is reported
as a ratio of this view's throughput measured in the same run.
"""

from django.conf import settings

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-bare-view-not-secret",
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        USE_TZ=True,
    )

import django  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

BODY = ("<p>" + "示范县政务公开" * 20 + "</p>\n").encode() * 48  # ~20 KiB
BODY = BODY[: 20 * 1024]


def bare(request):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [path("", bare)]

django.setup()
application = get_wsgi_application()

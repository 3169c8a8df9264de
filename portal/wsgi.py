"""WSGI entry point: ``gunicorn portal.wsgi``."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

# Load jieba's dictionary (~70 MB) while the server starts, not on a visitor's first search:
# with ``gunicorn --preload`` the master loads it once and every worker shares it (issue 10).
if os.environ.get("PRELOAD_SEARCH", "1") != "0":
    from disclosure.search import _jieba  # noqa: E402

    _jieba()

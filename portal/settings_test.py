"""Settings for the test suite: the real settings with test-only shortcuts.

Static files are not collected in tests, so the manifest storage would fail;
password hashing is the fast one. The database still comes from DATABASE_URL,
so the same suite runs on SQLite and PostgreSQL.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")

from portal.settings import *  # noqa: E402,F401,F403

STORAGES = {
    **STORAGES,  # noqa: F405 - the file stores as configured (local, or S3 from STORAGE_S3_*)
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["*"]
# Background jobs: tasks are published to an in-process broker that no worker reads; tests
# that are about delivery run portal.outbox.deliver_due() (the worker's code) or, in
# tests/portal/test_outbox.py, a real worker process against Redis.
CELERY_BROKER_URL = "memory://localhost/"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
CELERY_TASK_ALWAYS_EAGER = False
EMAIL_TIMEOUT = 2

# Each test reads and writes its own cache keys (tests/conftest.py ``_empty_cache`` sets
# NAMESPACE). A module global, not the cache objects' key_prefix: Django's cache objects are
# per thread, and the live server's thread (browser tests) must see the same namespace as
# the test that drives it, or it serves pages cached by an earlier test.
NAMESPACE = "-"


def namespaced_cache_key(key, key_prefix, version):
    return f"{key_prefix}:{NAMESPACE}:{version}:{key}"


for _alias in CACHES:  # noqa: F405
    CACHES[_alias]["KEY_FUNCTION"] = "portal.settings_test.namespaced_cache_key"  # noqa: F405

# The page cache without Redis: in memory, per test process. The embedded default's file
# store (var/page-cache) is shared by every run and grows through the suite, and each write
# lists its files to cull them; the test processes share no pages anyway (each xdist worker
# has its own database), and the live server's thread shares the process's memory.
if "redis" not in CACHES["pages"]["BACKEND"].lower():  # noqa: F405
    CACHES["pages"] = {  # noqa: F405
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "zwgk-test-pages",
        "KEY_PREFIX": CACHES["pages"].get("KEY_PREFIX", ""),  # noqa: F405
        "KEY_FUNCTION": "portal.settings_test.namespaced_cache_key",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }

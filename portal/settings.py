"""Settings for the disclosure portal, read from the environment.

Only four variables matter in production: DATABASE_URL, SECRET_KEY, DEBUG and
ALLOWED_HOSTS. Everything else has a default that suits a county's server.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DEBUG 未开启时必须设置 SECRET_KEY（SECRET_KEY must be set when DEBUG is off）。"
            "在服务器上请先载入服务的环境变量再运行管理命令，例如 set -a; . /etc/zwgk/env; set +a"
            "（systemd 服务从 /etc/zwgk/env 读取）；本机开发请在命令前加 DEBUG=1。"
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
if DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "mptt",
    "import_export",
    "csp",
    # The 正文 editor's ProseMirror bundle and styles, served as static files (disclosure/widgets.py).
    "django_prose_editor",
    "portal",
    "catalog",
    "disclosure",
    "requests_app",
    "annual",
    # 互动交流 — the letters mailbox (县长信箱, departments' and townships' mailboxes).
    "letters",
    # 意见征集 and 我要纠错: the letters' independent siblings above annual.
    "consultations",
    "corrections",
    # The 政务公开专栏 and the home page: the top app, composing what the apps below it publish.
    "column",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cached anonymous public pages, served before the rest of the stack (portal/pagecache.py).
    "portal.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Chinese unless the visitor chose English; never from Accept-Language (portal/language.py).
    "portal.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Access control and protection (see the block at the end of this file).
    # django-csp, its fixed header built once (portal/security_middleware.py).
    "portal.security_middleware.CSPMiddleware",
    "portal.security_middleware.SecurityHeadersMiddleware",
    "portal.security_middleware.RejectNulMiddleware",
]

# --- Authentication and audit (身份鉴别与安全审计) ---------------------------------
# After the auth middleware: the audit log learns the request being served (for the client
# address of every entry).
INSTALLED_APPS += [
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
]
MIDDLEWARE += [
    "portal.audit.AuditRequestMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.security.SessionLimitMiddleware",
    "portal.security.StaffAccessMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins (django-axes): N failures within the cool-off lock the account *and*, separately,
# the client address, on every login that authenticates (the admin login is the staff login).
# Counted in the database, so every worker and server sees the same count.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "portal.security.axes_client_ip"  # portal.net.client_ip
# Successful logins and logouts are in the portal's own audit log; axes keeps only the failures.
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_CALLABLE = "portal.security.lockout_response"
AXES_VERBOSE = False
# Two-factor authentication (django-otp): the roles that must use it ("superuser" = superusers).
# 等保 requires it for the accounts that publish, approve and grant rights; production may add
# roles but not drop these. With DEBUG on, OTP_REQUIRED_ROLES="" turns it off for the demo.
OTP_MANDATORY_ROLES = ("superuser", "管理员", "审核员")
_otp_roles = os.environ.get("OTP_REQUIRED_ROLES")
OTP_REQUIRED_ROLES = (
    OTP_MANDATORY_ROLES if _otp_roles is None else tuple(r.strip() for r in _otp_roles.split(",") if r.strip())
)
if not DEBUG and not set(OTP_MANDATORY_ROLES) <= set(OTP_REQUIRED_ROLES):
    raise ImproperlyConfigured(
        "DEBUG 未开启时 OTP_REQUIRED_ROLES 必须包含 superuser、管理员和审核员"
        "（OTP_REQUIRED_ROLES must include superuser, 管理员 and 审核员 when DEBUG is off）。"
    )
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "zwgk")
# Pages that refuse a session without its required second factor or with an expired password.
STAFF_PATH_PREFIXES = ("/admin/", "/gkgl/", "/staff/")
STAFF_EXEMPT_PATHS = ("/admin/logout/", "/admin/login/", "/admin/jsi18n/")
# Session limits: staff idle 30 min / absolute 12 h; citizens (status page) idle 30 min.
STAFF_SESSION_IDLE_SECONDS = int(os.environ.get("STAFF_SESSION_IDLE_MINUTES", "30")) * 60
STAFF_SESSION_MAX_SECONDS = int(os.environ.get("STAFF_SESSION_MAX_HOURS", "12")) * 3600
CITIZEN_SESSION_IDLE_SECONDS = int(os.environ.get("CITIZEN_SESSION_IDLE_MINUTES", "30")) * 60
SESSION_COOKIE_AGE = STAFF_SESSION_MAX_SECONDS
# Passwords: maximum age in days (0 = no limit), the words a password may not be built on.
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "90"))
PASSWORD_LOCAL_WORDS = [
    w.strip()
    for w in os.environ.get(
        "PASSWORD_LOCAL_WORDS",
        "zwgk,zhengwu,gongkai,zhengfu,shifan,shifanxian,gkgl,ysqgk",
    ).split(",")
    if w.strip()
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% url %} remembering its answers (portal/templatetags/memo_urls.py), {% extends %}
            # finding the root template's blocks once (portal/templatetags/memo_extends.py).
            "builtins": ["portal.templatetags.memo_urls", "portal.templatetags.memo_extends"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
                # 大字版 / 高对比度 / 长辈版: classes on <html> and the toolbar (portal/display.py).
                "portal.display.display",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

_database_url = os.environ.get("DATABASE_URL", "").strip()
if _database_url:
    # Persistent connections are checked before reuse (CONN_HEALTH_CHECKS), so a restarted
    # PostgreSQL costs no request a 500; connect_timeout bounds the wait while it is down
    # (the page then answers 503, see portal/middleware.py) instead of hanging a worker.
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend with a health check that asks the socket first (portal/postgresql/base.py).
        DATABASES["default"]["ENGINE"] = "portal.postgresql"
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))
        )
        # The compiled query shapes run as prepared statements after 5 runs on a connection
        # (portal/postgresql/base.py); DATABASE_PREPARED_STATEMENTS=0 for a connection pooler in
        # transaction mode that cannot keep them (PgBouncer before 1.21).
        DATABASES["default"]["OPTIONS"].setdefault(
            "prepare_threshold", 5 if env_bool("DATABASE_PREPARED_STATEMENTS", True) else None
        )
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # The embedded default under several gunicorn workers: WAL lets readers run beside the
    # one writer, IMMEDIATE takes the write lock when a transaction starts (a deferred one
    # that later wants to write fails at once with "database is locked" instead of
    # waiting), and the busy timeout makes a second writer wait its turn.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "portal.sqlite3",
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Shared cache -------------------------------------------------------------
# Everything that must hold across workers and servers (form nonces, rate-limit
# counters, page caches, locks) goes through this cache, never a process's memory.
# Production: Redis. Embedded default: the database cache, shared by every process
# on the machine without any extra service (its table is created by `migrate`).
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "zwgk")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis cache, reusing its client (portal/cache_backends.py).
            "BACKEND": "portal.cache_backends.ReusedClientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

# --- The real client address ----------------------------------------------------
# Comma-separated addresses/networks of the reverse proxies in front of the portal
# (e.g. "127.0.0.1,10.0.0.0/8"). Only a request from one of them has its client
# address read from X-Forwarded-For (right-most untrusted entry); see portal/net.py.
from portal.net import parse_proxies  # noqa: E402

TRUSTED_PROXIES = parse_proxies(os.environ.get("TRUSTED_PROXIES", ""))

AUTH_USER_MODEL = "portal.User"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "first_name", "last_name", "email")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # 等保 身份鉴别: three of four character classes, no dressed-up common/local word, not the last 5.
    {"NAME": "portal.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "portal.passwords.PredictablePasswordValidator"},
    {"NAME": "portal.passwords.PasswordHistoryValidator", "OPTIONS": {"count": 5}},
]
LOGIN_URL = "admin:login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "portal.mail.MaskingConsoleBackend"  # the console copy never shows query codes or tokens
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "gk@example.invalid")

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Logging ----------------------------------------------------------------------
# Every module logs through logging.getLogger(__name__) to standard error (journald under
# systemd). LOG_FORMAT=json writes one JSON object per line for a log collector.
# ``portal.access`` gets one line per request (portal/middleware.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "portal.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json" if LOG_FORMAT == "json" else "text"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "portal.access": {
            "handlers": ["console"],
            "propagate": False,
            "level": os.environ.get("ACCESS_LOG_LEVEL", "INFO"),
        },
    },
}

# The portal's own name; the home page falls back to the root organisation's name.
PORTAL_SITE_NAME = os.environ.get("PORTAL_SITE_NAME", "")
PORTAL_SITE_TITLE_SUFFIX = _("政务公开")

# Disclosure items: the attachment size limit and the address used in e-mailed links.
DISCLOSURE_MAX_ATTACHMENT_MB = int(os.environ.get("DISCLOSURE_MAX_ATTACHMENT_MB", "50"))
# Attachments are kept outside MEDIA_ROOT and served only through the download view.
DISCLOSURE_FILES_ROOT = Path(os.environ.get("DISCLOSURE_FILES_ROOT", VAR_DIR / "disclosure-files"))
# 主题分类: the standard list items are filed under (国务院公文主题分类 by default); another
# list in the same format (see the file) can replace it.
DISCLOSURE_SUBJECT_CATEGORIES_FILE = Path(
    os.environ.get("DISCLOSURE_SUBJECT_CATEGORIES_FILE", BASE_DIR / "disclosure" / "data" / "subject_categories.txt")
)
# Applicants' uploads and the files sent to them: served only through views that check access.
REQUESTS_PRIVATE_ROOT = Path(os.environ.get("REQUESTS_PRIVATE_ROOT", VAR_DIR / "private"))
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "")

# --- Background jobs and outgoing mail (issue 8) -------------------------------------------
# Mail leaves through the outbox (portal.outbox): a web request records the message in the
# same transaction as the change and a Celery worker delivers it, so a broken or hanging mail
# server never turns a citizen's or an official's action into an error.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "EMAIL_USE_TLS（STARTTLS，通常端口587）和 EMAIL_USE_SSL（端口465）只能设置其一"
        "（Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both）。"
    )
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Delivery attempts per message and the exponential back-off between them (seconds):
# 60, 120, 240 … capped at OUTBOX_RETRY_MAX; after the last attempt the message is 发送失败
# and waits on the staff page (/staff/outbox/) for 重新发送.
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
OUTBOX_RETRY_BASE = float(os.environ.get("OUTBOX_RETRY_BASE", "60"))
OUTBOX_RETRY_MAX = float(os.environ.get("OUTBOX_RETRY_MAX", "3600"))
# A message claimed by a worker that died mid-send goes back to the queue after this long.
OUTBOX_STALE_AFTER = float(os.environ.get("OUTBOX_STALE_AFTER", "600"))

# Celery (portal/celery.py reads every CELERY_* setting). Production: BROKER_URL or REDIS_URL.
# Unset: kombu's filesystem transport under var/celery/, shared by the processes of one machine.
CELERY_BROKER_URL = (os.environ.get("BROKER_URL") or os.environ.get("REDIS_URL") or "").strip()
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # A retry waits up to OUTBOX_RETRY_MAX in the worker; past the visibility timeout Redis would
    # hand the task out again (harmless, the claim makes it a no-op, but noisy). A dead Redis is
    # noticed within 2 s by the web request that hands a message over.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 7200, "socket_connect_timeout": 2}
elif not CELERY_BROKER_URL:
    _celery_dir = VAR_DIR / "celery"
    for _sub in ("queue", "processed", "control"):
        (_celery_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_dir / "queue"),
        "data_folder_out": str(_celery_dir / "queue"),
        "processed_folder": str(_celery_dir / "processed"),
        "control_folder": str(_celery_dir / "control"),
        "store_processed": False,
    }
# Publishing from a web request must not hang on a dead broker: the outbox row stays
# pending and flush_outbox hands it over again once the broker is back.
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.environ.get("CELERY_BROKER_CONNECTION_TIMEOUT", "2"))
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0.2, "interval_step": 0.5, "interval_max": 0.5}
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "portal")
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER")
# A task is acknowledged after it ran: a worker killed mid-task leaves it to be redelivered
# (the outbox claim makes the second run a no-op once the first marked the message).
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get("CELERY_BEAT_SCHEDULE_FILENAME", str(VAR_DIR / "celerybeat-schedule"))
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    # Messages whose hand-over to the broker failed, or whose retry is due.
    "flush-outbox": {"task": "portal.tasks.flush_outbox", "schedule": 60.0},
    # Items whose 发布日期 has come.
    "publish-scheduled": {"task": "disclosure.tasks.publish_scheduled", "schedule": 60.0},
    # Close unsupplemented/unpaid requests, resume the clock of silent third parties.
    "process-request-deadlines": {
        "task": "requests_app.tasks.process_request_deadlines",
        "schedule": crontab(hour=0, minute=10),
    },
    # Remind handlers of requests due within 5 working days or overdue (once per due event).
    "send-request-reminders": {
        "task": "requests_app.tasks.send_request_reminders",
        "schedule": crontab(hour=8, minute=0, day_of_week="mon-fri"),
    },
    # Letters: refresh due dates, remind handlers of letters due soon, report overdue ones to the admin.
    "send-letter-reminders": {
        "task": "letters.tasks.send_letter_reminders",
        "schedule": crontab(hour=8, minute=5, day_of_week="mon-fri"),
    },
}

# --- Access control and protection (访问控制与防护) ------------------------------------
# Everything `manage.py check --deploy` asks for comes from the environment, so the same
# code runs on a developer's laptop (plain http) and behind the county's TLS proxy.
# README "访问控制与防护" lists the variables a production server sets.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# The health checks answer a load balancer's plain-http probe without a redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"] + [
    r.strip() for r in os.environ.get("SECURE_REDIRECT_EXEMPT", "").split(",") if r.strip()
]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0") or 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Staff pages, the register export and applicants' status pages and files are never kept
# by a browser or a proxy (portal.security_middleware.SecurityHeadersMiddleware).
PORTAL_NO_STORE_PREFIXES = ("/gkgl/", "/staff/", "/admin/", "/ysqgk/status/")
PORTAL_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)
# django-csp: every page loads only the portal's own scripts, styles and images; no inline
# code anywhere (the pages work without JavaScript), nothing framed, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
# django-import-export keeps an upload between preview and confirmation in the shared cache
# under a random name, never in /tmp under a name the confirmation form chooses.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "portal.importstorage.ValidatedCacheStorage"

# --- Production runtime: faults, health, limits ---------------------------------------
# The outermost middleware: one access-log line per request, and a Chinese 503 page with
# Retry-After whenever the database is unreachable (never a traceback, never a hang).
MIDDLEWARE = [
    "portal.middleware.AccessLogMiddleware",
    "portal.middleware.DatabaseUnavailableMiddleware",
    *MIDDLEWARE,
]
DATABASE_RETRY_AFTER = int(os.environ.get("DATABASE_RETRY_AFTER", "30"))
# The online application form: the minimum seconds between showing and posting it (no
# person is faster) and the hourly allowances per client address, e.g.
# REQUESTS_RATE_LIMITS="apply=5,failure=20,lookup=30,lookup_number=20".
REQUESTS_FORM_MIN_SECONDS = int(os.environ.get("REQUESTS_FORM_MIN_SECONDS", "3"))
REQUESTS_RATE_LIMITS = {
    kind.strip(): int(value)
    for kind, _sep, value in (
        item.partition("=") for item in os.environ.get("REQUESTS_RATE_LIMITS", "").split(",") if "=" in item
    )
}


# --- Object storage (portal/storage.py) --------------------------------------
# Three aliases: "attachments" (DISCLOSURE_FILES_ROOT), "private" (REQUESTS_PRIVATE_ROOT)
# and "default" (MEDIA_ROOT); local directories unless STORAGE_S3_BUCKET is set, then
# each a prefix of that bucket (STORAGE_S3_ENDPOINT_URL, STORAGE_S3_ACCESS_KEY_ID,
# STORAGE_S3_SECRET_ACCESS_KEY, STORAGE_S3_REGION, STORAGE_S3_PREFIX,
# STORAGE_S3_ADDRESSING_STYLE). Objects are never public; views stream them.
from portal.storage_config import storages_setting as _storages_setting  # noqa: E402

STORAGES = _storages_setting(os.environ, base=STORAGES)

# --- Page cache (issue 10) ------------------------------------------------------
# Anonymous public pages and the small lists they share, keyed by the public
# content's generation (portal/pagecache.py). Redis in production; embedded, a
# file cache under VAR_DIR, shared by every process on the machine and costing
# no database query. PAGE_CACHE=0 serves every page uncached (the benchmark).
PAGE_CACHE = env_bool("PAGE_CACHE", True)
# The WSGI front door (portal/pagefront.py) trusts a generation it read for this many
# seconds and keeps that generation's pages in the process (at most PAGE_CACHE_FRONT_PAGES):
# a publication made by another worker or server shows here within that time. 0: read Redis on every hit.
PAGE_CACHE_FRONT_SECONDS = float(os.environ.get("PAGE_CACHE_FRONT_SECONDS", "1") or 0)
PAGE_CACHE_FRONT_PAGES = int(os.environ.get("PAGE_CACHE_FRONT_PAGES", "256"))
# The parts of base.html every page repeats and the lists' filter form, rendered once per
# language and generation (portal/templatetags/fragments.py). 0 renders them on every page.
TEMPLATE_FRAGMENTS = env_bool("TEMPLATE_FRAGMENTS", True)
if REDIS_URL:
    CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": CACHE_KEY_PREFIX + ":pages"}
else:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "page-cache"),
        "KEY_PREFIX": CACHE_KEY_PREFIX,
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }

# --- 互动交流: letters, 意见征集, 我要纠错 (portal/settings_interaction.py) ----------------
from portal.settings_interaction import *  # noqa: E402,F403

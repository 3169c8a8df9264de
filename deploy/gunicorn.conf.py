"""gunicorn settings for the portal: ``gunicorn -c deploy/gunicorn.conf.py portal.wsgi``.

Every value can be changed from the environment (the systemd unit reads /etc/zwgk/env).
Sync workers: each handles one request at a time and nginx buffers slow clients and
uploads in front of them, so a handful of workers serves a county; more workers need a
database that takes concurrent writers (PostgreSQL) — see the README.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# (2 x cores) + 1 is gunicorn's rule of thumb; capped so a big machine does not open
# more database connections than PostgreSQL's max_connections allows.
workers = int(os.environ.get("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9)))
worker_class = "sync"
# Load the portal once in the master and fork the workers from it (portal/wsgi.py then freezes
# the loaded objects out of the garbage collector's reach), so Django, the apps and the search
# dictionary (~70 MB) are one shared copy instead of one per worker: after a search each worker
# holds ~45 MB of its own instead of ~115 MB (issue 10, bench/RESULTS.md). A new release then
# needs `systemctl restart zwgk-web`; a HUP restarts the workers from the already-loaded code.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
# A request still running after this is killed and answered 502 by nginx; keep it above
# the slowest real page (annual report generation, large exports) and equal to nginx's
# proxy_read_timeout.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never grows unbounded.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Heartbeat files in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# The portal writes its own access log (logger portal.access: the real client address
# behind nginx, status, duration); gunicorn's would only repeat it with the proxy's address.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Only nginx on this machine may tell gunicorn the original scheme (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "zwgk-web"

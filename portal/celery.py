"""The Celery application: background delivery of messages and the scheduled jobs.

Why Celery (decided for issue 8): it is the most widely kept job engine for
Django, retries with exponential back-off are built in, and ``celery beat``
runs the schedules that used to be cron lines. The broker comes from the
environment (``BROKER_URL``, else ``REDIS_URL``); without either, kombu's
filesystem transport under ``var/`` carries the queue between the web
process and the worker on one machine, so ``make run`` needs no extra service.

Start a worker with ``celery -A portal worker`` and the scheduler with
``celery -A portal beat`` (see the README, "后台任务 / Background jobs").
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

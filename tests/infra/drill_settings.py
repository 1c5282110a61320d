"""Settings of the processes a fault drill starts (web nodes, workers): the test settings with real services.

The database is the test database of the pytest process (DATABASE_URL names it), the broker and the cache a Redis
the drill starts and stops itself (DRILL_REDIS_URL), and tasks go through the broker as in production.
"""

import os

from portal.settings.test import *  # noqa: F403

_redis = os.environ["DRILL_REDIS_URL"].rstrip("/")
CELERY_BROKER_URL = f"{_redis}/0"
CELERY_TASK_ALWAYS_EAGER = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": f"{_redis}/1",
                      "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS, "socket_connect_timeout": 1,  # noqa: F405
                                   "socket_timeout": 2}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}

# What a drill asks for through its processes' environment (tests.infra.processes `extra`):
if os.environ.get("DRILL_STORAGE_ROOT"):  # one storage for every process of the drill, which the test reads
    STORAGES = {**STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",  # noqa: F405
                                        "OPTIONS": {"location": os.environ["DRILL_STORAGE_ROOT"], "base_url": "/files/"}}}
if os.environ.get("DRILL_VISIBILITY_TIMEOUT"):  # a killed worker's task comes back after seconds, not the hour
    CELERY_BROKER_TRANSPORT_OPTIONS |= {"visibility_timeout": int(os.environ["DRILL_VISIBILITY_TIMEOUT"]),
                                        "unacked_restore_interval": 1, "unacked_restore_throttle": 1}
if os.environ.get("DRILL_BEAT_EVERY"):  # every entry of the production schedule, every few seconds
    CELERY_BEAT_SCHEDULE = {name: {**entry, "schedule": float(os.environ["DRILL_BEAT_EVERY"])}
                            for name, entry in CELERY_BEAT_SCHEDULE.items()}  # noqa: F405
if os.environ.get("DRILL_LOOKUP_LOG_BATCH"):  # the lookup log flushed in small batches, its lock lapsing in seconds
    CERTIFICATE_LOOKUP_LOG_BATCH = int(os.environ["DRILL_LOOKUP_LOG_BATCH"])
    CERTIFICATE_LOOKUP_LOG_LOCK_SECONDS = int(os.environ.get("DRILL_LOOKUP_LOG_LOCK", "2"))

"""Settings of the benchmarks that serve pages (bench/lookup_load.py, bench/supervision_scale.py): production-like (DEBUG off, cached templates,
persistent connections), served by gunicorn on 127.0.0.1, with the bare comparison view wired in by bench.urls.

The public lookup's per-address limit stays in force but is raised so far that the load generator, one address,
never reaches it: every request still pays for counting itself in the cache, as a real visitor's does.
"""

import os

import dj_database_url

from portal.settings.base import *  # noqa: F403
from portal.settings.base import BASE_DIR, TEMPLATES

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "bench-only-not-secret")
CERTIFICATE_KEY_SECRET = os.environ.get("CERTIFICATE_KEY_SECRET", "bench-only-not-secret")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=600)}
ROOT_URLCONF = "bench.urls"
TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]}]
CERTIFICATE_LOOKUP_RATE = (10**9, 600)
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"handlers": [], "level": "WARNING"}}
# The supervision benchmark signs its officer in with the test client's force_login (no TOTP device): both the
# dashboard and its bare comparison view pass through the same middleware either way.
TWO_FACTOR_REQUIRED = False

# bench/lookup_load.py --production: the cache and the broker in Redis as in production (REDIS_URL), so the lookup
# counts and queues its log record in one Redis round trip and a Celery worker with beat flushes the log by COPY;
# DATABASE_REPLICA_URL, when set, serves the public reads from the replica as in production.
if os.environ.get("BENCH_PRODUCTION"):
    _redis = os.environ["REDIS_URL"].rstrip("/").rsplit("/", 1)[0]
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": f"{_redis}/1"}}
    CELERY_BROKER_URL = f"{_redis}/0"
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if os.environ.get("DATABASE_REPLICA_URL", "").strip():
        DATABASES["replica"] = replica_database(os.environ["DATABASE_REPLICA_URL"].strip())  # noqa: F405
        DATABASE_ROUTERS = ["portal.db_router.ReplicaRouter"]

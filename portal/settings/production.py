"""Production: every secret comes from the environment, with no default, so a missing one stops the start."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} is required in production.")
    return value


DEBUG = False
SECRET_KEY = _required("SECRET_KEY")
DATABASES = {"default": dj_database_url.parse(_required("DATABASE_URL"), conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"].get("ENGINE") == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
if os.environ.get("DATABASE_REPLICA_URL", "").strip():
    DATABASES["replica"] = replica_database(os.environ["DATABASE_REPLICA_URL"].strip())
CELERY_BROKER_URL = _required("CELERY_BROKER_URL")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() != "false"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

PRIVATE_STORAGE_ROOT = Path(os.environ.get("PRIVATE_STORAGE_ROOT", "/var/lib/portal/private"))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_STORAGE_ROOT), "base_url": "/files/"},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", "/var/lib/portal/static"))

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "false").lower() == "true"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", DEFAULT_FROM_EMAIL)

# The public certificate lookup's and the objections' per-address limits count in the cache: one Redis for every
# worker and host (REDIS_CACHE_URL, else database 1 of the broker's Redis); without Redis each process counts alone.
_cache_url = os.environ.get("REDIS_CACHE_URL", "").strip() or (
    CELERY_BROKER_URL.rsplit("/", 1)[0] + "/1" if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else "")
if _cache_url:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}}

# Certificates (docs/architecture.md, "Certificates"): the address printed in QR codes (else https://<first host>).
CLAMD_ADDRESS = os.environ.get("CLAMD_ADDRESS", "").strip()
CLAMD_FAIL_OPEN = os.environ.get("CLAMD_FAIL_OPEN", "false").lower() == "true"
# e.g. TRUSTED_PROXIES=10.0.0.0/8,127.0.0.1 for the load balancer and the local nginx.
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]
PORTAL_PUBLIC_URL = os.environ.get("PORTAL_PUBLIC_URL", "").strip()
# The secret the provinces' signing keys are encrypted with: required, never SECRET_KEY (rotating that must not make
# the stored signing keys unreadable). A deployment that relied on the old fallback sets it to its SECRET_KEY.
CERTIFICATE_KEY_SECRET = _required("CERTIFICATE_KEY_SECRET")

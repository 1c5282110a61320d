"""Embedded default for a newcomer: SQLite, Celery tasks run in-process, mail to the console."""

import os
from urllib.parse import urlsplit

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "local-development-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
CELERY_TASK_ALWAYS_EAGER = True
# `make run` (scripts/run.sh) sets PORTAL_TWO_FACTOR=off so the demo accounts sign in with the password alone.
TWO_FACTOR_REQUIRED = os.environ.get("PORTAL_TWO_FACTOR", "required").strip().lower() != "off"
# The value the signing keys of a local database were encrypted with before it had its own setting (SECRET_KEY's).
CERTIFICATE_KEY_SECRET = "local-development-only-not-secret"  # noqa: S105
# The address printed in QR codes and on certificates: `make run` (scripts/run.sh) sets it to the address it serves
# on; the host is then also accepted in requests.
PORTAL_PUBLIC_URL = os.environ.get("PORTAL_PUBLIC_URL", "").strip()
_public_host = urlsplit(PORTAL_PUBLIC_URL).hostname if PORTAL_PUBLIC_URL else None
if _public_host and _public_host not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(_public_host)

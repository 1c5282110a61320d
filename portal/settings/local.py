"""Embedded default for a newcomer: SQLite, Celery tasks run in-process, mail to the console."""

import os

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "local-development-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
CELERY_TASK_ALWAYS_EAGER = True
# `make run` (scripts/run.sh) sets PORTAL_TWO_FACTOR=off so the demo accounts sign in with the password alone.
TWO_FACTOR_REQUIRED = os.environ.get("PORTAL_TWO_FACTOR", "required").strip().lower() != "off"
# The value the signing keys of a local database were encrypted with before it had its own setting (SECRET_KEY's).
CERTIFICATE_KEY_SECRET = "local-development-only-not-secret"  # noqa: S105

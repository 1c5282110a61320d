"""Embedded default for a newcomer: SQLite, Celery tasks run in-process, mail to the console."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "local-development-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
CELERY_TASK_ALWAYS_EAGER = True
# The value the signing keys of a local database were encrypted with before it had its own setting (SECRET_KEY's).
CERTIFICATE_KEY_SECRET = "local-development-only-not-secret"  # noqa: S105

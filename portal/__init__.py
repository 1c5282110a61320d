"""The project package and platform core: settings, tenancy, accounts and roles, audit, calendar, reference data, documents."""

from .celery import app as celery_app

__all__ = ["celery_app"]

"""WSGI entry point for gunicorn: the whole middleware chain, and the lean one for the public lookup's anonymous
visitors (portal.lean)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
full = get_wsgi_application()  # sets Django up

from portal.lean import LeanWSGIHandler, dispatch  # noqa: E402 - needs the settings configured above

application = dispatch(full, LeanWSGIHandler())

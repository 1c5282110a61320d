"""WSGI entry point for gunicorn: the whole middleware chain, and the lean one for the public lookup's anonymous
visitors (portal.lean).

Once both chains are built, everything loaded so far (Django, the apps, the URL patterns, the templates' loaders:
some 190,000 objects) is frozen out of the garbage collector's reach: it is never garbage, and without this each
full collection walked all of it, a pause of tens of milliseconds in the middle of some request (measured: 79 ms
every few thousand lookups; docs/performance.md)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
full = get_wsgi_application()  # sets Django up

from portal.lean import LeanWSGIHandler, dispatch  # noqa: E402 - needs the settings configured above

application = dispatch(full, LeanWSGIHandler())
gc.freeze()

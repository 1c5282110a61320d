"""Test settings: fast hashing, eager tasks unless a test starts a real worker, locmem mail."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import PASSWORD_HASHERS

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
CERTIFICATE_KEY_SECRET = "test-only-certificate-keys-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "memory://")
PRIVATE_STORAGE_ROOT = Path(tempfile.mkdtemp(prefix="portal-private-"))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_STORAGE_ROOT), "base_url": "/files/"},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
# Off unless a test turns it on (tests/portal/test_twofactor.py, tests/browser/test_twofactor.py): the other tests
# sign officers in with the password alone, as they did before two-factor sign-in existed.
TWO_FACTOR_REQUIRED = False
# The supervision demo history renders a few hundred certificate PDFs: too slow for every browser test's seed_demo.
SUPERVISION_DEMO_HISTORY = False
# The streaming replica `make test` starts beside its PostgreSQL (TEST_DATABASE_REPLICA_URL): known as "replica", but
# no router by default (a test's uncommitted rows are not on the replica); tests/infra/test_replica.py turns it on.
DATABASE_ROUTERS = []
DATABASES.pop("replica", None)
if os.environ.get("TEST_DATABASE_REPLICA_URL", "").strip() and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["replica"] = replica_database(os.environ["TEST_DATABASE_REPLICA_URL"].strip())

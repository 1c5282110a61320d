"""Settings of the PDF throughput benchmark (bench/pdf_throughput.py) and of the Celery workers it starts: the
benchmarks' production-like settings, tasks through a real Redis broker, PDFs stored in a directory of the run's."""

import os

from bench.settings import *  # noqa: F403
from bench.settings import STORAGES

CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
CELERY_TASK_ALWAYS_EAGER = False
STORAGES = {**STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                    "OPTIONS": {"location": os.environ["BENCH_STORAGE_ROOT"], "base_url": "/files/"}}}

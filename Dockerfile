# Production image of the portal: gunicorn for the web, the same image for the Celery worker and beat.

# The dashboards' chart library (Chart.js, from the npm registry), served by the portal itself.
FROM node:20-bookworm-slim AS assets
WORKDIR /assets
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# CJK fonts and Pango/HarfBuzz for WeasyPrint's certificates and letters; gettext for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b gettext \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system portal \
    && useradd --system --gid portal --home-dir /app --shell /usr/sbin/nologin portal \
    && mkdir -p /app /var/lib/portal/private /var/lib/portal/static \
    && chown -R portal:portal /app /var/lib/portal

WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml ./
RUN pip install .

COPY --chown=portal:portal . .
COPY --from=assets --chown=portal:portal /assets/node_modules/chart.js/dist /app/node_modules/chart.js/dist

# Translations and static files are built into the image; the build needs no real secret or database.
RUN if find locale -name '*.po' -print -quit | grep -q .; then \
        python -m django compilemessages; \
    fi \
    && DJANGO_SETTINGS_MODULE=portal.settings.production SECRET_KEY=build-only CERTIFICATE_KEY_SECRET=build-only DATABASE_URL=sqlite:////tmp/build.sqlite3 \
       CELERY_BROKER_URL=memory:// python manage.py collectstatic --noinput \
    && rm -f /tmp/build.sqlite3 \
    && chown -R portal:portal /app /var/lib/portal

USER portal

ENV DJANGO_SETTINGS_MODULE=portal.settings.production \
    PRIVATE_STORAGE_ROOT=/var/lib/portal/private \
    STATIC_ROOT=/var/lib/portal/static

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["python", "scripts/healthcheck.py"]
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]

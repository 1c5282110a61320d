#!/usr/bin/env bash
# One command for a newcomer: install what is missing, migrate, load the demo data and serve on 127.0.0.1:8000
# with the embedded default settings (SQLite, Celery tasks run in-process, mail printed to the console).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
VENV=${VENV:-$(pwd)/.venv}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

bash scripts/setup.sh

export PATH="$VENV/bin:$PATH"
export DJANGO_SETTINGS_MODULE=portal.settings.local
# The demo accounts sign in with the password alone; PORTAL_TWO_FACTOR=required make run asks officers for a code.
export PORTAL_TWO_FACTOR=${PORTAL_TWO_FACTOR:-off}
# QR codes and certificates print the address the portal serves on (HOST=0.0.0.0: the machine's first address),
# unless PORTAL_PUBLIC_URL names another one (e.g. behind a proxy).
PUBLIC_HOST=$HOST
if [ "$HOST" = "0.0.0.0" ]; then PUBLIC_HOST=$(hostname -I 2>/dev/null | awk '{print $1}'); PUBLIC_HOST=${PUBLIC_HOST:-127.0.0.1}; fi
export PORTAL_PUBLIC_URL=${PORTAL_PUBLIC_URL:-http://$PUBLIC_HOST:$PORT}
unset DATABASE_URL CELERY_BROKER_URL REDIS_URL
mkdir -p var

printf '\n==> migrate\n'
python manage.py migrate --noinput
printf '\n==> seed_demo\n'
python manage.py seed_demo

cat <<MSG

  The portal is starting at http://$HOST:$PORT/  (stop it with Ctrl-C); QR codes print $PORTAL_PUBLIC_URL

  Log in at http://$HOST:$PORT/accounts/login/ with any demo account; every one has the password demo-2026.
  Accounts are named <province>-<role>, the province being gd (Guangdong), sd (Shandong) or gz (Guizhou):
    gd-province                   provincial officer
    gd-city-4401, gd-city-4403    city officers (sd-city-3701/3702, gz-city-5201/5203)
    gd-expert-1, gd-expert-2      provincial experts
    gd-supervisor                 quality supervisor
    gd-org-1, gd-org-2            members of two applicant institutions
    admin                         platform superuser (also /admin/)
  The full list is in portal/demo_data.py.
  Two-step verification is off for the demo (PORTAL_TWO_FACTOR=$PORTAL_TWO_FACTOR); any account may turn it on
  under 账户安全 (Account security).

MSG

exec python manage.py runserver "$HOST:$PORT"

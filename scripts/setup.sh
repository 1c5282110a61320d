#!/usr/bin/env bash
# Installs what the portal needs on a Debian 12 machine, each part only when it is missing, so a second run is fast:
# Debian packages (PostgreSQL, Redis, Chromium, CJK fonts, WeasyPrint's libraries, ...), the virtualenv .venv
# with the project and its dev tools, axe-core from package.json, and the compiled translation catalogs.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO=$(pwd)
VENV=${VENV:-$REPO/.venv}
PYTHON=${PYTHON:-python3.11}

say() { printf '==> %s\n' "$*"; }

# --- Debian packages -------------------------------------------------------------------------------------------
APT_PACKAGES=(
  postgresql redis-server chromium fonts-noto-cjk poppler-utils zbar-tools gettext
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b
)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ! -x "$VENV/bin/python" ]; then
  command -v "$PYTHON" >/dev/null 2>&1 || missing+=(python3.11)
  if ! command -v "$PYTHON" >/dev/null 2>&1 || ! "$PYTHON" -c "import ensurepip, venv" >/dev/null 2>&1; then
    missing+=(python3.11-venv)
  fi
fi

if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: apt-get not found; install these packages by hand: ${missing[*]}" >&2
    exit 1
  fi
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "setup: run as root or install sudo to install: ${missing[*]}" >&2; exit 1; }
    SUDO=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -q
  "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  say "Debian packages: all present"
fi

# --- Python virtualenv ------------------------------------------------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
  command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=/usr/bin/python3.11
  say "creating $VENV with $PYTHON"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
fi

# Reinstall only when the [project] table (dependencies) changed since the last successful install; edits to the
# tools' settings in pyproject.toml do not cost a pip run.
stamp="$VENV/.skills-portal-installed"
want=$("$VENV/bin/python" -c '
import hashlib, json, tomllib
with open("pyproject.toml", "rb") as f:
    project = tomllib.load(f)["project"]
print(hashlib.sha256(json.dumps(project, sort_keys=True).encode()).hexdigest())
')
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
  say "installing the project and its dev dependencies into $VENV"
  # The build backend's chatter goes to a log that is shown only when the install fails.
  if ! "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".[dev]" > "$VENV/pip-install.log" 2>&1; then
    cat "$VENV/pip-install.log" >&2
    exit 1
  fi
  echo "$want" > "$stamp"
else
  say "Python packages: up to date"
fi

# --- npm (axe-core for the accessibility checks of the browser tests) -------------------------------------------
if [ -f package-lock.json ]; then
  npm_stamp="node_modules/.skills-portal-lock"
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ "$(cat "$npm_stamp" 2>/dev/null || true)" != "$want" ]; then
    say "npm ci"
    npm ci --no-audit --no-fund --loglevel=error
    echo "$want" > "$npm_stamp"
  else
    say "npm packages: up to date"
  fi
fi

# --- translations -------------------------------------------------------------------------------------------------
if find locale -name '*.po' -print -quit 2>/dev/null | grep -q .; then
  say "compiling translation catalogs"
  # Without a settings module Django compiles the locale/ folders it finds and imports none of the project's
  # code, so a broken import shows up in the checks and tests, not here.
  env -u DJANGO_SETTINGS_MODULE "$VENV/bin/python" -m django compilemessages --ignore=.venv --ignore=node_modules -v 0
fi

# The SQLite database of `make run` and STATIC_ROOT (WhiteNoise warns when it is missing) live under var/.
mkdir -p var/staticfiles

say "setup done"

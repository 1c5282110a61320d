"""Production settings pass `check --deploy` with no warning, and refuse to start without a required secret."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
REQUIRED = ["SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "CERTIFICATE_KEY_SECRET"]


def _production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "DATABASE_", "REDIS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        CERTIFICATE_KEY_SECRET=secrets.token_urlsafe(64),
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
        ALLOWED_HOSTS="portal.example.cn",
        PRIVATE_STORAGE_ROOT=str(tmp_path / "private"),
        STATIC_ROOT=str(tmp_path / "static"),
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def test_check_deploy_passes_with_no_warning(tmp_path: Path) -> None:
    result = _check_deploy(_production_env(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


@pytest.mark.parametrize("missing", REQUIRED)
def test_missing_secret_stops_the_start_and_names_it(tmp_path: Path, missing: str) -> None:
    result = _check_deploy(_production_env(tmp_path, **{missing: None}))

    assert result.returncode != 0
    assert f"The environment variable {missing} is required in production." in result.stderr


@pytest.mark.parametrize("missing", REQUIRED)
def test_blank_secret_counts_as_missing(tmp_path: Path, missing: str) -> None:
    result = _check_deploy(_production_env(tmp_path, **{missing: ""}))

    assert result.returncode != 0
    assert missing in result.stderr

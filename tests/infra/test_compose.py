"""The production shape in docker-compose.yml, the Dockerfile and .env.example (Docker itself is not run here)."""

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))


def _command(service: dict[str, Any]) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else str(command)


def test_compose_has_the_five_services(compose: dict[str, Any]) -> None:
    assert {"web", "worker", "beat", "db", "redis"} <= set(compose["services"])
    assert compose["services"]["db"]["image"].startswith("postgres:15")
    assert compose["services"]["redis"]["image"].startswith("redis:7")


@pytest.mark.parametrize("name", ["web", "worker", "beat", "migrate"])
def test_app_services_use_production_settings_from_the_env_file(compose: dict[str, Any], name: str) -> None:
    service = compose["services"][name]

    assert service["environment"]["DJANGO_SETTINGS_MODULE"] == "portal.settings.production"
    assert ".env" in (service["env_file"] if isinstance(service["env_file"], list) else [service["env_file"]])


def test_commands(compose: dict[str, Any]) -> None:
    services = compose["services"]

    assert re.search(r"gunicorn portal\.wsgi:application .*--bind 0\.0\.0\.0:8000 .*--workers 3", _command(services["web"]))
    assert "celery -A portal worker -l info" in _command(services["worker"])
    assert "celery -A portal beat -l info" in _command(services["beat"])
    assert "migrate --noinput" in _command(services["migrate"])
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_web_has_a_healthcheck_on_healthz(compose: dict[str, Any]) -> None:
    test = compose["services"]["web"]["healthcheck"]["test"]
    assert "healthcheck.py" in " ".join(test)
    assert "/healthz" in (REPO / "scripts" / "healthcheck.py").read_text(encoding="utf-8")


def test_volumes_keep_database_and_private_files(compose: dict[str, Any]) -> None:
    assert {"pgdata", "private"} <= set(compose["volumes"])
    assert any(v.startswith("pgdata:") for v in compose["services"]["db"]["volumes"])
    for name in ("web", "worker"):
        assert "private:/var/lib/portal/private" in compose["services"][name]["volumes"]


def test_env_example_names_every_required_variable() -> None:
    names = {
        line.split("=", 1)[0]
        for line in (REPO / ".env.example").read_text(encoding="utf-8").splitlines()
        if "=" in line and not line.lstrip().startswith("#")
    }
    assert {"SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "CERTIFICATE_KEY_SECRET", "ALLOWED_HOSTS",
            "PRIVATE_STORAGE_ROOT"} <= names


def test_dockerfile_runs_as_a_non_root_user_on_bookworm() -> None:
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")

    assert "FROM python:3.11-slim-bookworm" in dockerfile
    for package in ("fonts-noto-cjk", "libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz0b", "gettext"):
        assert package in dockerfile
    users = re.findall(r"^USER (\S+)", dockerfile, flags=re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}


def test_the_optional_replica_streams_from_db(compose: dict[str, Any]) -> None:
    replica = compose["services"]["replica"]

    assert replica["profiles"] == ["replica"] and replica["image"].startswith("postgres:15")
    entrypoint = (REPO / "deploy" / "replica" / "replica-entrypoint.sh").read_text(encoding="utf-8")
    assert "pg_basebackup -h db" in entrypoint and " -R " in entrypoint
    assert any("primary-init.sh" in v for v in compose["services"]["db"]["volumes"])
    assert "host replication" in (REPO / "deploy" / "replica" / "primary-init.sh").read_text(encoding="utf-8")

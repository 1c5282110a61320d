"""API fuzzing: schemathesis against a live server with the committed schema (docs/openapi.yaml), as each role.

For every operation of the schema schemathesis generates valid and invalid requests (path ids, query strings,
bodies) and checks two things of every answer: no server error, and a body that matches what the schema says for
that status. Each role runs with its own API token against the demo data, with the province set to Guangdong so
that ids reach real objects; anonymous runs with no token. The run is bounded: a fixed seed, a number of examples
per operation and a time budget per role.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from portal.models import User

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
ST = Path(sys.executable).with_name("st")
ROLES = {
    "provincial_officer": "gd-province",
    "city_officer": "gd-city-4401",
    "institution_member": "gd-org-1",
    "expert": "gd-expert-1",
    "supervisor": "gd-supervisor",
    "officer_of_another_province": "sd-province",
    "anonymous": None,
}
EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES", "6"))
SEED = 20261204  # a fixed seed: the same inputs each run (the time budget may cut a slow run short)


@pytest.fixture
def demo_server(live_server: Any) -> Any:
    from portal.reference_data import ensure_reference_data

    ensure_reference_data()
    call_command("seed_demo", verbosity=0)
    return live_server


def _run(base_url: str, username: str | None, workdir: Path, phases: str,
         max_time: int) -> tuple[int, str, dict[str, Any]]:
    config = workdir / "schemathesis.toml"
    # No automatic sign-up through /register/ (each role brings its own token); ids of Guangdong's objects.
    config.write_text('[auth]\nauto-signup = false\n\n[parameters]\n"path.province" = "gd"\n', encoding="utf-8")
    report = workdir / f"{username or 'anonymous'}.json"
    command = [
        str(ST), "--no-color", "--config-file", str(config), "run", str(SCHEMA), "--url", base_url,
        "--checks", "not_a_server_error,response_schema_conformance",
        "--phases", phases, "--max-examples", str(EXAMPLES_PER_OPERATION), "--max-time", str(max_time),
        "--seed", str(SEED), "--generation-database", "none", "--workers", "1",
        "--report", "json", "--report-json-path", str(report),
    ]
    if username is not None:
        token = Token.objects.get_or_create(user=User.objects.get(username=username))[0].key
        command += ["--header", f"Authorization: Token {token}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=workdir, check=False)
    summary = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    return done.returncode, done.stdout + done.stderr, summary


def _generated(output: str) -> int:
    found = re.search(r"(\d+) generated", output)
    return int(found.group(1)) if found else 0


def test_no_server_error_and_every_answer_matches_the_schema_as_every_role(demo_server: Any, tmp_path: Path) -> None:
    # One demo database for every role (seeding it is the slow part). The coverage phase (boundary values of every
    # field: empty, too long, wrong type ...) runs for the role that reaches the most; every role runs the schema's
    # examples and the random fuzzing. Each role has a time budget, so the run stays within minutes.
    failures, counts = {}, {}
    for role, username in ROLES.items():
        full = role == "provincial_officer"
        phases = "examples,coverage,fuzzing" if full else "examples,fuzzing"
        code, output, _ = _run(demo_server.url, username, tmp_path, phases, max_time=90 if full else 25)
        counts[role] = _generated(output)
        if code != 0 or counts[role] == 0:
            failures[role] = output[-6000:]
    print("schemathesis requests generated:", counts, "total", sum(counts.values()))  # noqa: T201 - for the note
    assert failures == {}, "\n\n".join(f"== {role}\n{text}" for role, text in failures.items())

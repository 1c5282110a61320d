"""The committed OpenAPI schema (docs/openapi.yaml) is the API's contract: the generated one must not drift from it.

After changing an endpoint, run `make schema` and commit docs/openapi.yaml with the change (the diff shows a reviewer
what the API's users will see). The API fuzzing (test_api_fuzz.py) runs against this committed file.
"""

import difflib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "docs" / "openapi.yaml"
# The schema documents production: PostgreSQL's integer ranges (SQLite's are wider). Generating it needs the backend's
# rules only, never a server, so the address is one where nothing listens (the Makefile's `schema` target agrees).
PRODUCTION_BACKEND = "postgres://schema:schema@127.0.0.1:9/schema"


def test_the_generated_schema_is_the_committed_one(tmp_path: Path) -> None:
    generated = tmp_path / "openapi.yaml"
    done = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn", "--file", str(generated)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test", "DATABASE_URL": PRODUCTION_BACKEND},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert COMMITTED.exists(), "docs/openapi.yaml is missing: run `make schema` and commit it"
    diff = list(difflib.unified_diff(COMMITTED.read_text(encoding="utf-8").splitlines(),
                                     generated.read_text(encoding="utf-8").splitlines(),
                                     "docs/openapi.yaml (committed)", "generated", lineterm="", n=1))
    assert not diff, "the API changed: run `make schema` and commit docs/openapi.yaml\n" + "\n".join(diff[:80])

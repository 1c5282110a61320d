"""Every URL pattern of portal.urls and every operation of docs/openapi.yaml, requested by each stranger to a
Guangdong object (a member of another institution, an officer of another city, an officer and a supervisor of
another province, an expert not assigned, an anonymous visitor) and by its owner.

A stranger is refused (404, or 403 where the role is wrong; a login redirect for an anonymous visitor on a page),
the body carries none of the world's markers beyond the stranger's reach, and a refused write changes no row and
writes no audit event. The owner's request succeeds: the objects and URLs are right, so the refusals mean something.
"""

import pytest
from django.urls import reverse

from tests.portal.url_walk import walk
from tests.security.cases import SENT, Case, body_of, check, client_for
from tests.security.endpoints import (
    KWARG_OBJECTS,
    NOT_GENERATED,
    STATE_OVERRIDES,
    WORLD_LACKS,
    generated,
    normalized,
    object_keys,
    schema_operations,
    targets,
)
from tests.security.world import ROLES, World

TARGETS = targets()
CASES = [Case(target, role) for target in generated(TARGETS) for role in ROLES]
# The URL conf had this many patterns when the matrix was written: fewer means the walk lost some.
MIN_URL_PATTERNS = 409


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=str)
def test_access_matrix(case: Case, world: World) -> None:
    failures = check(case, world)

    assert failures == [], "\n".join(failures)


def matrix_counts() -> str:
    """The line the terminal summary shows (tests/security/conftest.py): URL patterns × roles = cases."""
    patterns = {e.name or e.route for e in walk()}
    objects = sum(1 for t in generated(TARGETS) if not t.is_admin and object_keys(t.endpoint))
    sent = f", {SENT[0]} requests sent" if SENT[0] else ""
    return (f"access matrix: {len(patterns)} URL patterns ({len(NOT_GENERATED)} not generated; {objects} name an"
            f" object) × {len(ROLES)} roles = {len(CASES)} cases{sent}")


def test_the_matrix_covers_every_url_pattern_with_every_role() -> None:
    patterns = {e.name or e.route for e in walk()}
    covered = {case.target.key for case in CASES}

    assert len(patterns) >= MIN_URL_PATTERNS
    assert covered | set(NOT_GENERATED) == patterns
    assert len(CASES) >= (len(patterns) - len(NOT_GENERATED)) * len(ROLES)


def test_every_url_kwarg_names_an_object_of_the_world() -> None:
    unknown = {t.key: sorted(k for k, v in object_keys(t.endpoint).items() if v is None)
               for t in generated(TARGETS) if not t.is_admin}

    assert {key: kwargs for key, kwargs in unknown.items() if kwargs} == {}


def test_every_operation_of_the_committed_schema_is_in_the_matrix() -> None:
    methods = {normalized(t.endpoint.route): set(t.methods) for t in generated(TARGETS)}
    lacking = {normalized(t.endpoint.route) for t in TARGETS if t.key in WORLD_LACKS}

    missing = {f"{method.upper()} {path}" for path, ops in schema_operations().items() for method in ops
               if method not in methods.get(path, set()) and path not in lacking}

    assert missing == set()
    assert len(schema_operations()) >= 90


def test_the_tables_name_only_what_exists() -> None:
    used = {t for target in generated(TARGETS) if not target.is_admin
            for t in _table_keys_used(target)}
    names = {t.key for t in TARGETS}

    assert set(KWARG_OBJECTS) - used == set()
    assert (set(NOT_GENERATED) | set(STATE_OVERRIDES)) - names == set()


def _table_keys_used(target) -> set[str]:  # type: ignore[no-untyped-def]
    from tests.security.endpoints import kwarg_contexts

    used = set()
    for kwarg, tries in kwarg_contexts(target.endpoint.route).items():
        hit = next((t for t in tries if t in KWARG_OBJECTS), None)
        if hit and kwarg not in STATE_OVERRIDES.get(target.key, {}):
            used.add(hit)
    return used


# (URL name, kwarg -> object key, who asks, the planted field that page shows): markers are where the owner looks
OWNER_SEES = [
    ("certificates:certificate_detail", {"pk": "certificate"}, "provincial_officer", "Certificate.holder_name"),
    ("filings:review_detail", {"pk": "application"}, "city_officer", "Institution.name"),
    ("export_list", {}, "city_officer", "ExportJob.title"),
    ("audit_detail", {"pk": "audit_event"}, "provincial_officer", "AuditEvent.object_repr"),
    ("exams:plan_detail", {"pk": "exam_plan"}, "city_officer", "ExamPlan.title"),
    ("certificates:registry", {}, "provincial_officer", "Certificate.holder_name"),  # its Excel export: below
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs", "who", "planted"), OWNER_SEES, ids=[row[0] for row in OWNER_SEES])
def test_the_owner_sees_the_markers_that_strangers_must_not(name: str, kwargs: dict[str, str], who: str,
                                                            planted: str, world: World) -> None:
    # the markers are in the pages the owner opens, so their absence from a stranger's answer means something
    things = {kwarg: world.things[key] for kwarg, key in kwargs.items()}
    markers = [marker for label, marker in world.planted.items() if label.startswith(planted + "#")]
    client = client_for(world, world.users[who], api=False)
    url = reverse(name, kwargs={"province": "gd", **{k: t.value for k, t in things.items()}})

    page, excel = client.get(url), client.get(url, {"export": "xlsx"})

    assert page.status_code == 200
    assert markers and any(m in body_of(page) for m in markers)
    if name == "certificates:registry":  # the matrix reads an Excel file's sheets as it reads a page
        assert excel["Content-Type"].startswith("application/vnd.openxmlformats")
        assert any(m in body_of(excel) for m in markers)

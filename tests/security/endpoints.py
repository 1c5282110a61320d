"""What the access matrix requests: every URL pattern of portal.urls and every operation of docs/openapi.yaml, each
URL kwarg filled with an object of the world through one table.

To cover a new URL: name its kwarg's object in KWARG_OBJECTS, keyed by the literal route segments just before the
kwarg and the kwarg's name (`"inspections:pk"`, or two segments where one is ambiguous: `"exams/objections:pk"`),
building the object in tests/security/world.py. A URL that cannot be generated goes in NOT_GENERATED with a reason.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from portal.models import City
from portal.roles import PUBLIC
from tests.portal.url_walk import Endpoint, walk
from tests.security.world import World

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
WRITE_METHODS = ("post", "put", "patch", "delete")

# "segments before the kwarg:kwarg" -> key of the object in World.things. Two segments win over one.
KWARG_OBJECTS: dict[str, str] = {
    "applications:pk": "application",
    "occupations:item_pk": "application_occupation",
    "evidence:evidence_pk": "evidence",
    "evidence:pk": "evidence",
    "calls:call_pk": "call",
    "institutions:pk": "institution",
    "review:pk": "application",
    "cultivations:pk": "cultivation",
    "cultivation-tasks:pk": "task",
    "question-bank-files:pk": "question_bank_file",
    "filings:pk": "filing",
    "additions:pk": "addition",
    "filing-letters:pk": "filing_letter",
    "experts:pk": "expert",
    "panels:pk": "panel",
    "sheets:pk": "sheet",
    "cities:city": "city",
    "approvals:pk": "approval",
    "exams:pk": "exam_plan",
    "plans:pk": "exam_plan",
    "sessions:session_pk": "exam_session",
    "results:candidate_pk": "candidate",
    "exams/objections:pk": "exam_objection",
    "publicity/objections:pk": "publicity_objection",
    "certificates/plans:pk": "photo_plan",
    "certificates:pk": "certificate",
    "batches:pk": "batch",
    "changes:pk": "certificate_change",
    "organizations:pk": "organization",
    "rankings:pk": "ranking",
    "flags:pk": "flag",
    "audit:pk": "audit_event",
    "audit-events:pk": "audit_event",
    "exports:pk": "export",
    "publicity:pk": "notice",
    "notices:pk": "notice",
    "inbox:pk": "notification",
    "calendar:year": "calendar_year",
    "staff:pk": "exam_staff",
    "shares:pk": "share_link",
    "s:token": "share_token",
    "shared:token": "share_token",
    "campaigns:pk": "campaign",
    "inspections:pk": "public_campaign",  # the public page of a drawn campaign: /inspections/<province>/<pk>/
    "supervision/inspections:pk": "inspection",
    "inspections/files:file_pk": "inspection_file",
    "rectification:pk": "order",
    "rectification/files:file_pk": "order_file",
    "complaints:pk": "complaint",
    "received:pk": "complaint",
    "files:attachment": "complaint_attachment",
    "start:filing_pk": "renewable_filing",
    "renewals:pk": "renewal",
    "lifecycle:pk": "filing",
    "exits:pk": "exit",
    "tasks:kind": "wrap_up_kind",
    "suspensions:pk": "suspension",
}

# URL name -> {kwarg: object key}, where the page needs the object in a state the table's default is not in.
STATE_OVERRIDES: dict[str, dict[str, str]] = {
    "exams:result_entry": {"pk": "results_plan"},  # a candidate's result is entered while the plan is in entry
    "filings:training_record": {"pk": "training_task"},  # the exam-affairs training task, not the question bank
    "api_training_record": {"pk": "training_task"},
    "api_exam_sessions": {"pk": "draft_plan"},  # sessions are added while the plan is a draft
    "api_exam_session_staff": {"pk": "draft_plan", "session_pk": "draft_session"},
    "api_file_decision": {"pk": "accepted_cultivation"},  # filing follows the acceptance of an occupation
    "exams:session_add": {"pk": "draft_plan"},
    "exams:session_staff": {"pk": "draft_plan", "session_pk": "draft_session"},
    "filings:file_decision": {"pk": "accepted_cultivation"},
    "supervision:termination_notice": {"pk": "terminated_exit"},  # the notice exists once the exit is terminated
    "supervision:renewal_letter": {"pk": "renewal_with_letter"},  # the letter exists once the renewal is approved
}

# URL name -> the body its writes carry, naming world objects, where an empty body is refused before any object is
# reached. Every role sends it: a stranger naming the object in the body is refused as in the URL.
BODIES: dict[str, Callable[[World], dict[str, Any]]] = {
    "filings:filings_report": lambda world: {"city": City.objects.get(code=world.things["city"].obj).pk},
}

# URL (name, or route when unnamed) -> why the matrix does not generate it. Keep it short.
NOT_GENERATED: dict[str, str] = {
    "password_reset_confirm": "uidb64 + token are a one-time secret mailed to the account's owner, not an object id;"
                              " a wrong token shows the expired-link page (tests/portal/test_accounts.py)",
    "verify:qr": "the signed QR token is the capability: whoever holds it sees the certificate's public fields by"
                 " design (public verification, tests/certificates/test_lookup.py)",
    "verify:credential": "the signed QR token is the capability, as for verify:qr: whoever holds it downloads the"
                         " certificate's credential (tests/certificates/test_credentials.py)",
    "verify:status_list": "public by design: a province's status list, one bit per certificate and no object of"
                          " anyone's (tests/certificates/test_credentials.py)",
    "verify:linked": "a portal-signed, short-lived link to a replacement certificate: the signature is the"
                     " capability, as for the QR token (tests/certificates/test_lookup.py)",
}

# URLs whose object the world cannot build, each with its reason.
WORLD_LACKS: dict[str, str] = {
    "api_status_list": "public by design, no object of anyone's: a province's status list, as verify:status_list"
                       " (tests/certificates/test_credentials.py)",
    "api_selection_city_publish": "Shandong's centre route only; in the matrix's Guangdong world the service refuses"
                                  " every caller (403). Tenancy: tests/portal/test_tenancy.py; the Shandong owner:"
                                  " tests/selection/test_centre_route.py",
    "supervision:renewal_document_file": "a material uploaded to a renewal: the world's renewal carries none yet."
                                         " Tenancy: tests/portal/test_tenancy.py; the owner and officers:"
                                         " tests/supervision/test_renewal_pages.py",
}
NOT_GENERATED.update(WORLD_LACKS)


@dataclass(frozen=True)
class Target:
    """One URL pattern to request: the endpoint, the methods to use and whether it belongs to the admin site."""

    endpoint: Endpoint
    methods: tuple[str, ...]

    @property
    def key(self) -> str:
        return self.endpoint.name or self.endpoint.route

    @property
    def is_admin(self) -> bool:
        return self.endpoint.route.startswith("admin/")

    @property
    def is_api(self) -> bool:
        return self.endpoint.route.startswith("api/")

    @property
    def allowed_roles(self) -> tuple[str, ...]:
        cls = self.endpoint.view_class
        return tuple(map(str, getattr(cls, "allowed_roles", ()) or (PUBLIC,)))

    @property
    def is_public(self) -> bool:
        return PUBLIC in self.allowed_roles


def _literal_segments(route: str) -> list[str]:
    return [s for s in route.split("/") if s and "<" not in s and "(" not in s]


def kwarg_contexts(route: str) -> dict[str, tuple[str, ...]]:
    """For each kwarg of a route, the table keys to try: two preceding literal segments, then one."""
    contexts: dict[str, tuple[str, ...]] = {}
    for match in re.finditer(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route):
        name = match.group(1) or match.group(2)
        before = _literal_segments(route[: match.start()])
        contexts[name] = tuple(f"{'/'.join(before[-n:])}:{name}" for n in (2, 1) if len(before) >= n)
    return contexts


def object_keys(endpoint: Endpoint) -> dict[str, str | None]:
    """kwarg -> World.things key (None when the table does not know it), for every kwarg but the province."""
    overrides = STATE_OVERRIDES.get(endpoint.name or "", {})
    keys: dict[str, str | None] = {}
    for kwarg, tries in kwarg_contexts(endpoint.route).items():
        if kwarg == "province":
            continue
        found = overrides.get(kwarg) or next((KWARG_OBJECTS[t] for t in tries if t in KWARG_OBJECTS), None)
        keys[kwarg] = found
    return keys


def _admin_model(route: str) -> Any:
    parts = route.split("/")
    try:
        return apps.get_model(parts[1], parts[2])
    except (LookupError, IndexError, ValueError):
        return None


def admin_kwargs(endpoint: Endpoint, world: World) -> dict[str, str]:
    """Admin URLs: the object of the world of the route's model when there is one, else its first row."""
    model = _admin_model(endpoint.route)
    ours = [t.obj for t in world.things.values() if model is not None and isinstance(t.obj, model)]
    row = ours[0] if ours else (model._default_manager.order_by("pk").first() if model is not None else None)
    institution = world.things["institution"].obj
    fill = {
        "object_id": str(row.pk if row is not None else 1), "id": str(row.pk if row is not None else 1),
        "pk": str(row.pk if row is not None else 1), "app_label": "portal", "url": "no-such-page/",
        "content_type_id": str(ContentType.objects.get_for_model(institution).pk),
    }
    if endpoint.route.startswith("admin/r/"):
        fill["object_id"] = str(institution.pk)
    return {k: fill[k] for k in endpoint.kwargs}


# Admin views that write on POST (the others only read); a function view is sent both GET and POST.
ADMIN_WRITES = ("add/", "change/", "delete/", "password/", "logout/")


def _view_methods(endpoint: Endpoint, *, api: bool) -> set[str]:
    if endpoint.view_class is None:
        admin = endpoint.route.startswith("admin/")
        return {"get", "post"} if not admin or endpoint.route.endswith(ADMIN_WRITES) else {"get"}
    methods = {"get"} if endpoint.handles("get") else set()
    # pages: GET and POST (a form view's PUT is its POST); the API: every method it answers
    methods |= {m for m in (WRITE_METHODS if api else ("post",)) if endpoint.handles(m)}
    return methods or {"get"}


@cache
def schema_operations() -> dict[str, tuple[str, ...]]:
    """Normalized path (`/api/v1/{}/applications/{}/`) -> methods, from the committed OpenAPI schema."""
    paths = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))["paths"]
    return {re.sub(r"\{[^}]+\}", "{}", path): tuple(m for m in ops if m in ("get", *WRITE_METHODS))
            for path, ops in paths.items()}


def normalized(route: str) -> str:
    return "/" + re.sub(r"<[^>]+>", "{}", route)


def targets() -> list[Target]:
    """Every URL pattern of the URL conf (each once), with its methods: the view's and the schema's."""
    schema = schema_operations()
    found: dict[str, Target] = {}
    for endpoint in walk():
        api = endpoint.route.startswith("api/")
        methods = _view_methods(endpoint, api=api) | set(schema.get(normalized(endpoint.route), ()))
        target = Target(endpoint, tuple(m for m in ("get", *WRITE_METHODS) if m in methods))
        found.setdefault(target.key, target)
    return list(found.values())


def generated(all_targets: list[Target]) -> Iterator[Target]:
    return (t for t in all_targets if t.key not in NOT_GENERATED)

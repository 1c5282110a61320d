"""One case of the access matrix: a URL pattern requested by one role with every method it answers, and the
failures found (wrong status, a marker of the world in the body, a refused write that changed rows)."""

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpResponseBase
from django.test import Client
from django.urls import reverse
from django.utils.http import urlencode
from rest_framework.authtoken.models import Token

from portal.models import AuditEvent, City, Role, User
from portal.roles import AUTHENTICATED, PUBLIC
from tests.factories import the_member
from tests.security.endpoints import BODIES, Target, admin_kwargs, object_keys
from tests.security.snapshot import changed, last_audit_event, snapshot
from tests.security.world import ANONYMOUS, HOME_PROVINCE, OWNER, Thing, World, reach

# The owner of a page, by the role it admits (institution members and personal objects are resolved per object).
OWNER_BY_ROLE = {
    Role.PROVINCIAL_OFFICER: "provincial_officer", Role.CITY_OFFICER: "city_officer",
    Role.QUALITY_SUPERVISOR: "quality_supervisor", Role.EXPERT: "expert", AUTHENTICATED: "provincial_officer",
}
REFUSED_SIGNED_IN = (403, 404)
REFUSED_API_ANONYMOUS = (401, 403)
# URL name -> the owner's answer to GET when it is not 200, and why.
OWNER_GET: dict[str, tuple[int, str]] = {
    "home": (302, "home sends a person with one province to that province's home"),
    "two_factor_verify": (302, "a person without a device is sent to enrolment first"),
    "api_working_days": (400, "a calculator: without ?start= and ?days= it says what is missing"),
    "supervision:my_organization": (302, "a member is sent to their organization's page"),
    "set_language": (302, "switching the language sends back to the page"),
    "logout": (405, "signing out is a POST"),
    # a holder's own pages admit any signed-in person and answer 404 to one without a holder account (the matrix's
    # owner is an officer); the holder's own answers are tested in tests/certificates/test_holder_*.py
    **dict.fromkeys(("holder:home", "holder:share_create", "holder:record_pdf", "holder:record_json",
                     "api_holder_record", "api_holder_record_pdf", "api_holder_shares"),
                    (404, "an officer has no holder account")),
}
# Admin URLs that are the admin site's own doors, open to anyone: the login page and signing out.
ADMIN_DOORS = ("admin:login", "admin:logout")


@dataclass(frozen=True)
class Case:
    target: Target
    role: str

    def __str__(self) -> str:
        return f"{self.target.key}-{self.role}"


def _fill_route(route: str, kwargs: dict[str, Any]) -> str:
    route = route.replace("^", "").replace("$", "")
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), route)
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route)


def url_of(target: Target, kwargs: dict[str, Any]) -> str:
    endpoint = target.endpoint
    if endpoint.name and not target.is_admin:
        return reverse(endpoint.name, kwargs=kwargs)
    return _fill_route(endpoint.route, kwargs)


def client_for(world: World, user: User | None, *, api: bool) -> Client:
    client = Client()
    if user is not None and api:
        token = world.tokens.get(str(user.pk)) or Token.objects.get_or_create(user=user)[0].key
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {token}"
    elif user is not None and str(user.pk) in world.sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[str(user.pk)]
    elif user is not None:
        client.force_login(user)  # a person made after the world (an institution's first member, on first use)
    return client


SENT: list[int] = [0]  # requests sent in this process (the terminal summary reports it when not split by xdist)


def send(client: Client, method: str, url: str, *, target: Target, world: World) -> HttpResponseBase:
    SENT[0] += 1
    if method == "get":
        return client.get(url)
    make = BODIES.get(target.key)
    data = make(world) if make is not None else {}
    if target.is_api:
        return getattr(client, method)(url, data, content_type="application/json")
    return getattr(client, method)(url, data)


def body_of(response: HttpResponseBase) -> str:
    """The response as text: its body (an Excel file's sheets read from its zip), and where it redirects."""
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)  # type: ignore[attr-defined]  # a streaming response
    else:
        content = response.content  # type: ignore[attr-defined]  # HttpResponse
    if content.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = b" ".join(archive.read(n) for n in archive.namelist() if n.endswith(".xml"))
    return content.decode("utf-8", errors="replace") + " " + response.get("Location", "")


def filters_naming_objects(world: World) -> list[dict[str, Any]]:
    """Query strings a list may read, each naming Guangzhou's objects: by id (with an Excel export), by city code."""
    things = world.things
    by_id = {"city": City.objects.get(code=things["city"].obj).pk, "institution": things["institution"].value,
             "organization": things["organization"].value, "call": things["call"].value,
             "application": things["application"].value, "plan": things["exam_plan"].value, "export": "xlsx"}
    return [by_id, {"city": things["city"].obj}]


class Unfillable(LookupError):
    """A URL kwarg the table does not know: the matrix cannot build this URL."""


def things_of(target: Target, world: World) -> dict[str, Thing]:
    if target.is_admin:
        return {}
    keys = object_keys(target.endpoint)
    unknown = sorted(k for k, v in keys.items() if v is None)
    if unknown:
        raise Unfillable(f"{target.key}: no object for URL kwarg(s) {unknown} — add them to KWARG_OBJECTS in "
                         "tests/security/endpoints.py (or the URL to NOT_GENERATED with a reason)")
    return {kwarg: world.things[key] for kwarg, key in keys.items() if key is not None}


def kwargs_for(target: Target, world: World, things: dict[str, Thing], slug: str) -> dict[str, Any]:
    if target.is_admin:
        return admin_kwargs(target.endpoint, world)
    kwargs = {kwarg: thing.value for kwarg, thing in things.items()}
    if "province" in target.endpoint.kwargs:
        kwargs["province"] = slug
    return kwargs


def owners(target: Target, world: World, things: dict[str, Thing]) -> list[User | None]:
    """Who may use the URL on these objects, one per admitted role: the positive control tries each."""
    if target.is_admin:
        return [world.superuser]
    found: list[User | None] = [t.owner for t in things.values() if t.owner is not None]
    institution = next((t.institution for t in things.values() if t.institution is not None),
                       world.things["exam_plan"].institution)
    for role in target.allowed_roles:
        if role == PUBLIC:
            found.append(None)
        elif role == Role.INSTITUTION_MEMBER:
            found.append(the_member(institution))
        else:
            found.append(world.users[OWNER_BY_ROLE[role]])
    return found


def _refusal_problem(target: Target, role: str, response: HttpResponseBase) -> str | None:
    """What is wrong with the answer to a request that must be refused, or None when it is a proper refusal."""
    status = response.status_code
    if target.is_admin:
        login = reverse("admin:login")
        ok = status == 302 and response["Location"].startswith(login)
        return None if ok else f"{status}, expected a redirect to {login}"
    if role == ANONYMOUS and not target.is_public:
        if target.is_api:
            return None if status in REFUSED_API_ANONYMOUS else f"{status}, expected 401/403"
        login = reverse("login")
        ok = status == 302 and response["Location"].startswith(login)
        return None if ok else f"{status} {response.get('Location', '')}, expected a redirect to {login}"
    return None if status in REFUSED_SIGNED_IN else f"{status}, expected 404 (or 403)"


def _audit_elsewhere(before_id: int, role: str) -> list[str]:
    """Audit events a request of `role` wrote in a province that is not the role's own."""
    home = HOME_PROVINCE.get(role, "gd")
    return [f"audit event {e.action} in {e.province.slug if e.province else '-'}"
            for e in AuditEvent.objects.filter(pk__gt=before_id).select_related("province")
            if e.province is not None and e.province.slug != home]


def _check_answer(case: Case, world: World, response: HttpResponseBase, said: str, *,
                  must_refuse: bool) -> list[str]:
    """A stranger's answer: refused where it must be, never a server error, no marker beyond the role's reach."""
    problem = _refusal_problem(case.target, case.role, response) if must_refuse else None
    failures = [f"{said}: {problem or response.status_code}"] if response.status_code >= 500 or problem else []
    refused = must_refuse or response.status_code in (401, 403, 404)
    text = body_of(response)
    leaked = [m for m in world.forbidden_markers(case.role, refused=refused) if m in text]
    if leaked:
        failures.append(f"{said}: the body carries {leaked} ({response.status_code})")
    return failures


def _requests(case: Case, world: World, url: str, *, must_refuse: bool) -> list[tuple[str, str]]:
    """(method, URL) to send: each method; a list a stranger may read is also asked with filters naming objects."""
    sent = [(method, url) for method in case.target.methods]
    if "get" in case.target.methods and not must_refuse and not case.target.is_admin:
        sent += [("get", f"{url}?{urlencode(query)}") for query in filters_naming_objects(world)]
    return sent


def check_stranger(case: Case, world: World) -> list[str]:
    """Request the URL as a stranger with each method; the failures, as sentences."""
    target, role = case.target, case.role
    things = things_of(target, world)
    url = url_of(target, kwargs_for(target, world, things, HOME_PROVINCE.get(role, "gd")))
    user = None if role == ANONYMOUS else world.users[role]
    must_refuse = ((target.is_admin and target.key not in ADMIN_DOORS) or any(
        t.scope not in reach(role) for t in things.values()) or (role == ANONYMOUS and not target.is_public))
    failures = []
    for method, sent_url in _requests(case, world, url, must_refuse=must_refuse):
        before = snapshot() if method != "get" else {"last audit event": last_audit_event()}
        response = send(client_for(world, user, api=target.is_api), method, sent_url, target=target, world=world)
        said = f"{method.upper()} {sent_url} as {role}"
        failures += _check_answer(case, world, response, said, must_refuse=must_refuse)
        refused = must_refuse or response.status_code in (401, 403, 404)
        if method != "get" and refused and (diff := changed(before, snapshot())):
            failures.append(f"{said}: a refused write changed {diff}")
        failures += [f"{said}: {e}" for e in _audit_elsewhere(before["last audit event"], role)]
    return failures


def _owner_reached(target: Target, method: str, response: HttpResponseBase) -> bool:
    status = response.status_code
    if status >= 500:
        return False
    if target.is_admin:
        # strangers meet the admin's gate before any object: the control is that a superuser passes it
        return not (status == 302 and response["Location"].startswith(reverse("admin:login")))
    if method != "get":
        return status not in (401, 403, 404)
    return status == OWNER_GET.get(target.endpoint.name or "", (200, ""))[0]


def check_owner(case: Case, world: World) -> list[str]:
    """The positive control: someone entitled reaches the object — GET answers 200 (or its pinned status); a URL
    without GET answers its first write with neither a refusal nor a server error."""
    target = case.target
    things = things_of(target, world)
    url = url_of(target, kwargs_for(target, world, things, "gd"))
    method = "get" if "get" in target.methods else target.methods[0]
    answers = []
    for user in owners(target, world, things):
        response = send(client_for(world, user, api=target.is_api), method, url, target=target, world=world)
        if _owner_reached(target, method, response):
            return []
        answers.append(f"{user or ANONYMOUS}: {response.status_code} {response.get('Location', '')}".strip())
    return [f"{method.upper()} {url}: no owner reached it ({'; '.join(answers)})"]


def check(case: Case, world: World) -> list[str]:
    return check_owner(case, world) if case.role == OWNER else check_stranger(case, world)

"""The matrix's second axis: an entitled caller, on their own object, naming in the request body an object they
cannot reach (another city's or institution's, another province's) — the class of the selection assign/draw leak.

The fields come from the committed schema's request bodies: every property named in FOREIGN_FIELDS is filled with
the id of such an object (World.foreign). The answer must be a 4xx that carries none of that object's markers nor
its state, and nothing may change.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from portal.models import Role, User
from tests.security.cases import body_of, client_for, kwargs_for, owners, things_of, url_of
from tests.security.endpoints import SCHEMA, Target, generated, normalized, targets
from tests.security.snapshot import changed, snapshot
from tests.security.world import World

# Body properties that name an object, as the schema spells them. Add one when an operation gains such a field
# (and its foreign objects in tests/security/world.py `_foreign`).
FOREIGN_FIELDS = ("application", "selected", "plan", "venue", "call", "expert", "item", "staff", "occupations")
VARIANTS = ("another_city", "another_province")
# Who reaches every object of the province: for them only another province's object is foreign.
PROVINCE_WIDE = ("provincial_officer", "quality_supervisor")



def _pk(world: World, key: str) -> int:
    return int(world.things[key].obj.pk)


# URL name -> a body its owner may send (every field valid), so that replacing one object field by a foreign
# object is what the answer turns on. An operation whose body names an object fails until it is listed here.
GOOD_BODIES: dict[str, tuple[str | None, Callable[[World], dict[str, Any]]]] = {
    # URL name: (the object whose owner sends it, when it is not the URL's, the body)
    "api_selection_panel_assign": (None, lambda w: {"application": _pk(w, "application"), "expert": _pk(w, "expert")}),
    "api_selection_panel_draw": (None, lambda w: {"application": _pk(w, "application"), "count": 1, "seed": 7}),
    "api_selection_recommend": (None, lambda w: {"application": _pk(w, "application"), "recommended": True,
                                                 "reason": "推荐"}),
    "api_selection_start_review": (None, lambda w: {"application": _pk(w, "recommended_application")}),
    "api_selection_select": (None, lambda w: {"selected": [_pk(w, "province_review_application")],
                                              "reason": "遴选"}),
    "api_my_applications": (None, lambda w: {"call": _pk(w, "open_call")}),
    "api_certificate_issue": ("photo_plan", lambda w: {"plan": _pk(w, "photo_plan")}),
    "api_exam_sessions": (None, lambda w: {
        "kind": "theory", "date": str(w.things["draft_session"].obj.date), "start_time": "14:00",
        "end_time": "16:00", "venue": w.things["draft_session"].obj.venue_id, "room": "102", "capacity": 30,
        "levels": [4]}),
    "api_exam_session_staff": (None, lambda w: {"staff": [_pk(w, "exam_staff")]}),
    "api_public_objection": (None, lambda w: {"item": w.things["publicity_objection"].obj.item_id,
                                              "name": "张三", "contact": "13800001111", "text": "有异议"}),
    "api_file_decision": (None, lambda w: {
        "occupations": [w.things["accepted_cultivation"].obj.occupations.get().pk], "reason": "备案"}),
    "api_supervision_inspection_findings": (None, lambda w: {
        "severity": "minor", "text": "发现", "item": w.things["inspection"].obj.checklist.order_by("pk").first().pk}),
    "api_supervision_renewal": (None, lambda w: {"facts": {}, "occupations": list(
        w.things["renewal"].obj.filing.occupations.filter(valid_until=w.things["renewal"].obj.period_end)
        .values_list("pk", flat=True))}),
}


def _request_parts(target: Target, world: World) -> tuple[str, list[User | None], dict[str, Any]]:
    """The URL, the entitled callers (owners of the URL's objects, or of the object the good body names) and the
    good body of an operation."""
    things = things_of(target, world)
    url = url_of(target, kwargs_for(target, world, things, "gd"))
    owner_of, make = GOOD_BODIES[str(target.key)]
    if owner_of is not None:
        things = {**things, "body": world.things[owner_of]}
    return url, owners(target, world, things), make(world)


@dataclass(frozen=True)
class BodyCase:
    target: Target
    method: str
    field: str  # the body property that names a foreign object
    is_array: bool
    variant: str

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.target.key} {self.field}-{self.variant}"


@cache
def _object_fields() -> dict[tuple[str, str], tuple[tuple[str, bool], ...]]:
    """(normalized path, method) -> the body properties that name an object."""
    schema = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    components = schema["components"]["schemas"]
    found = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                ref = content["schema"].get("$ref", "")
                properties = components.get(ref.rsplit("/", 1)[-1], {}).get("properties", {})
                fields = tuple((name, properties[name].get("type") == "array")
                               for name in FOREIGN_FIELDS if _names_ids(properties.get(name)))
                if fields:
                    found[(path.replace("{", "<").replace("}", ">"), method)] = fields
                break
    return {(_normal(path), method): fields for (path, method), fields in found.items()}


def _names_ids(prop: dict[str, Any] | None) -> bool:
    """An integer, or an array of integers: ids (an array of objects, such as addition lines, is not)."""
    if prop is None:
        return False
    return prop.get("type") == "integer" or prop.get("items", {}).get("type") == "integer"


def _normal(path: str) -> str:
    return normalized(path.lstrip("/").replace("<", "<x:"))


def body_cases() -> list[BodyCase]:
    fields = _object_fields()
    cases = []
    for target in generated(targets()):
        for method in target.methods:
            named = fields.get((normalized(target.endpoint.route), method), ())
            cases += [BodyCase(target, method, name, is_array, variant)
                      for name, is_array in named for variant in VARIANTS]
    return cases


# (URL name, field) whose objects are not the world's foreign objects of that field name, with the reason and the
# test that proves the refusal instead.
OTHER_KIND: dict[tuple[str, str], str] = {
    ("api_supervision_inspection_findings", "item"): "a checklist item of the URL's own inspection, looked up through"
    " it (get_object_or_404(ChecklistItem, inspection=…)); the world's foreign 'item' objects are publicity items,"
    " whose ids can be this inspection's own items. Proven instead by tests/supervision/test_campaigns_api.py::"
    "test_a_finding_naming_another_inspections_checklist_item_is_refused (two inspections, the other's item → 404)",
}


def _body(case: BodyCase, world: World) -> dict[str, Any] | None:
    """The owner's good body with the one field naming the foreign object; None when no such object exists."""
    if (str(case.target.key), case.field) in OTHER_KIND:
        return None
    foreign = world.foreign.get((case.field, case.variant))
    if foreign is None:
        return None
    return {case.field: [foreign.pk] if case.is_array else foreign.pk}


def _role_of(world: World, user: User | None) -> str:
    return next((role for role, person in world.users.items() if person == user), Role.INSTITUTION_MEMBER)


def _states(world: World, variant: str) -> set[str]:
    """The foreign objects' states, as stored and as a person reads them (the selection leak named the label)."""
    found = set()
    for (_, each), obj in world.foreign.items():
        if each == variant and getattr(obj, "state", ""):
            found |= {f'"{obj.state}"', str(obj.get_state_display())}
    return found


def check_body(case: BodyCase, world: World) -> list[str]:
    """Each entitled caller names the foreign objects; the failures, as sentences."""
    foreign = _body(case, world)
    if foreign is None:
        return []
    url, callers, good = _request_parts(case.target, world)
    body = {**good, **foreign}
    states = _states(world, case.variant)
    failures = []
    for user in callers:
        if user is None or (case.variant == "another_city" and _role_of(world, user) in PROVINCE_WIDE):
            continue
        before = snapshot()
        response = getattr(client_for(world, user, api=True), case.method)(url, body, content_type="application/json")
        said = f"{case.method.upper()} {url} {body} as {_role_of(world, user)}"
        text = body_of(response)
        if not 400 <= response.status_code < 500:
            failures.append(f"{said}: {response.status_code}, expected a 4xx")
        leaked = [m for m in world.foreign_markers if m in text] + [s for s in states if s in text]
        if leaked:
            failures.append(f"{said}: the body carries {leaked}")
        if diff := changed(before, snapshot()):
            failures.append(f"{said}: changed {diff}")
    return failures


def check_good_body(target: Target, method: str, world: World) -> list[str]:
    """The control: with the good body, some owner's request is accepted (2xx or 3xx), so a refusal of the foreign
    variant is about the foreign object, not about a body that was wrong anyway."""
    url, callers, body = _request_parts(target, world)
    answers = []
    for user in callers:
        response = getattr(client_for(world, user, api=True), method)(url, body, content_type="application/json")
        if response.status_code < 400:
            return []
        answers.append(f"{_role_of(world, user)}: {response.status_code} {body_of(response)[:300]}")
    return [f"{method.upper()} {url} {body}: no owner's good body was accepted ({'; '.join(answers)})"]


@dataclass(frozen=True)
class PageForm:
    """A page's form whose fields name objects: who sends it, a good body, and field -> (foreign kind, is a list)."""

    owner_of: str | None
    good: Callable[[World], dict[str, Any]]
    fields: Callable[[World], dict[str, tuple[str, bool]]]


def _session_staff_field(w: World) -> str:
    return f"s{w.things['draft_session'].obj.pk}-staff"  # the form is prefixed by its session


# URL name -> its form. Pages answer a refused choice with the form again (200) or a 404, and a success with a
# redirect: the control and the check are on what changes, not on the status.
PAGE_FORMS: dict[str, PageForm] = {
    "certificates:issue": PageForm("photo_plan", lambda w: {"plan": _pk(w, "photo_plan")},
                                   lambda w: {"plan": ("plan", False)}),
    "exams:session_add": PageForm(None, lambda w: {
        "kind": "theory", "date": str(w.things["draft_session"].obj.date), "start_time": "14:00",
        "end_time": "16:00", "venue": w.things["draft_session"].obj.venue_id, "room": "102", "capacity": 30,
        "levels": ["4"]}, lambda w: {"venue": ("venue", False)}),
    "exams:session_staff": PageForm(None, lambda w: {_session_staff_field(w): [_pk(w, "exam_staff")]},
                                    lambda w: {_session_staff_field(w): ("staff", True)}),
    "filings:file_decision": PageForm(None, lambda w: {
        "occupations": [w.things["accepted_cultivation"].obj.occupations.get().pk], "reason": "备案"},
        lambda w: {"occupations": ("occupations", True)}),
    "public_notice": PageForm(None, lambda w: {"item": w.things["publicity_objection"].obj.item_id, "name": "张三",
                                               "contact": "13800001111", "text": "有异议"},
                              lambda w: {"item": ("item", False)}),
}


def _page_parts(name: str, world: World) -> tuple[str, list[User | None], PageForm]:
    target = next(t for t in targets() if t.key == name)
    things = things_of(target, world)
    form = PAGE_FORMS[name]
    url = url_of(target, kwargs_for(target, world, things, "gd"))
    if form.owner_of is not None:
        things = {**things, "body": world.things[form.owner_of]}
    return url, owners(target, world, things), form


def check_page_form(name: str, variant: str, world: World) -> list[str]:
    """The owner posts the good form with one field naming a foreign object: nothing changes, nothing is told."""
    url, callers, form = _page_parts(name, world)
    failures = []
    for field_name, (kind, is_list) in form.fields(world).items():
        foreign = world.foreign.get((kind, variant))
        if foreign is None:
            continue
        body = {**form.good(world), field_name: [foreign.pk] if is_list else foreign.pk}
        for user in callers:
            if variant == "another_city" and _role_of(world, user) in PROVINCE_WIDE:
                continue
            before = snapshot()
            response = client_for(world, user, api=False).post(url, body)
            said = f"POST {url} {body} as {_role_of(world, user) if user else 'anonymous'}"
            text = body_of(response)
            leaked = [m for m in world.foreign_markers if m in text] + [s for s in _states(world, variant) if s in text]
            if response.status_code >= 500 or leaked:
                failures.append(f"{said}: {response.status_code}, the body carries {leaked}")
            if diff := changed(before, snapshot()):
                failures.append(f"{said}: changed {diff}")
    return failures


def check_page_good_form(name: str, world: World) -> list[str]:
    """The control: the good form changes something for some owner, so the foreign one is refused for its object."""
    url, callers, form = _page_parts(name, world)
    answers = []
    for user in callers:
        before = snapshot()
        response = client_for(world, user, api=False).post(url, form.good(world))
        if changed(before, snapshot()):
            return []
        answers.append(f"{_role_of(world, user) if user else 'anonymous'}: {response.status_code}")
    return [f"POST {url} {form.good(world)}: changed nothing for any owner ({'; '.join(answers)})"]

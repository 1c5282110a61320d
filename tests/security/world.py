"""One world for the access matrix: Guangdong objects of every kind a URL names, their owners, the strangers who
ask for them, and a distinctive marker planted in each object's texts.

Every object lives in Guangdong (gd), in Guangzhou (4401), at an institution of its own chain; the strangers are a
member of another Guangzhou institution, a Shenzhen (4403) city officer, a Shandong (sd) provincial officer, a
Guangdong expert assigned to nothing, a Shandong quality supervisor and an anonymous visitor. A marker is a short
ASCII string (`MKR007CAND`) written into a text field; its scope says who may legitimately read it.
"""

import datetime as dt
import itertools
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from certificates import services as certificate_services
from filings.models import QuestionBankFile, QuestionBankRound, TaskKind
from portal.models import City, HolderAccount, Institution, Province, User
from selection.models import LeadershipApproval
from supervision.models import FlagKind, FraudFlag, Ranking
from supervision.services import current_formula
from tests import factories as f
from tests.certificates.tenancy_objects import certificate_with_pdf


class Scope(StrEnum):
    """Who, besides the owner, may read an object: the breadth of its tenancy."""

    PUBLIC = "public"  # anyone, under its own province (published names, public notices)
    PROVINCE = "province"  # anyone holding a role in its province whose role admits the page
    CITY = "city"  # its city's officers and the province's
    INSTITUTION = "institution"  # its institution's members and the officers above it
    PERSONAL = "personal"  # one person (an export's requester, a sheet's expert, a message's recipient)
    SHARED = "shared"  # not any province's: the national working-day calendar


# The roles of the matrix, each a stranger to every object of the world, and the owner (the positive control).
OWNER = "owner"
MEMBER_OF_ANOTHER_INSTITUTION = "member_of_another_institution"
OFFICER_OF_ANOTHER_CITY = "officer_of_another_city"
OFFICER_OF_ANOTHER_PROVINCE = "officer_of_another_province"
EXPERT_NOT_ASSIGNED = "expert_not_assigned"
SUPERVISOR_OF_ANOTHER_PROVINCE = "supervisor_of_another_province"
ANONYMOUS = "anonymous"
STRANGERS = (MEMBER_OF_ANOTHER_INSTITUTION, OFFICER_OF_ANOTHER_CITY, OFFICER_OF_ANOTHER_PROVINCE,
             EXPERT_NOT_ASSIGNED, SUPERVISOR_OF_ANOTHER_PROVINCE, ANONYMOUS)
ROLES = (OWNER, *STRANGERS)
OTHER_PROVINCE_ROLES = frozenset({OFFICER_OF_ANOTHER_PROVINCE, SUPERVISOR_OF_ANOTHER_PROVINCE})
HOME_PROVINCE = {OFFICER_OF_ANOTHER_PROVINCE: "sd", SUPERVISOR_OF_ANOTHER_PROVINCE: "sd"}  # the others: gd


def reach(role: str) -> frozenset[Scope]:
    """The scopes of Guangdong objects a stranger may read: nothing from another province, the public part when
    anonymous, and what the whole province shares when holding a role there."""
    if role in OTHER_PROVINCE_ROLES:
        return frozenset({Scope.SHARED})
    if role == ANONYMOUS:
        return frozenset({Scope.SHARED, Scope.PUBLIC})
    return frozenset({Scope.SHARED, Scope.PUBLIC, Scope.PROVINCE})


@dataclass
class Thing:
    """One object of the world: what a URL kwarg is filled with, its scope and the institution it belongs to."""

    obj: Any
    scope: Scope
    institution: Institution | None = None
    owner: User | None = None  # the one person it belongs to (PERSONAL scope)

    @property
    def value(self) -> Any:
        return self.obj.pk if isinstance(self.obj, models.Model) else self.obj


@dataclass
class World:
    things: dict[str, Thing] = field(default_factory=dict)
    markers: dict[str, Scope] = field(default_factory=dict)  # marker -> scope of the object it sits in
    planted: dict[str, str] = field(default_factory=dict)  # "Model.field#pk" -> marker
    users: dict[str, User] = field(default_factory=dict)  # role name -> user, strangers and owners by role
    sessions: dict[str, str] = field(default_factory=dict)  # user pk -> session key
    tokens: dict[str, str] = field(default_factory=dict)  # user pk -> API token
    superuser: User | None = None
    # objects named in request bodies, out of the requester's reach: "another_city" (Shenzhen, or another
    # institution of Guangzhou) for members and city officers; "another_province" (Shandong) for everyone
    foreign: dict[tuple[str, str], Any] = field(default_factory=dict)
    foreign_markers: list[str] = field(default_factory=list)

    def add(self, key: str, obj: Any, scope: Scope, *, institution: Institution | None = None,
            owner: User | None = None) -> Any:
        self.things[key] = Thing(obj, scope, institution, owner)
        return obj

    def forbidden_markers(self, role: str, *, refused: bool) -> list[str]:
        """Markers the response to `role` must not carry: every one in a refusal, else those beyond the role's reach."""
        allowed = frozenset() if refused else reach(role)
        return [marker for marker, scope in self.markers.items() if scope not in allowed]


_serial = itertools.count(1)


def plant(world: World, obj: models.Model, scope: Scope | None, *fields: str) -> None:
    """Write a new marker at the start of each field (cut to the field's length) and remember its scope (None: a
    foreign object's, kept apart from the matrix's markers)."""
    values = {}
    for name in fields:
        marker = f"MKR{next(_serial):03d}{type(obj).__name__.upper()[:4]}"
        max_length = getattr(type(obj)._meta.get_field(name), "max_length", None) or 10_000
        values[name] = (marker + str(getattr(obj, name)))[:max_length]
        if scope is None:
            world.foreign_markers.append(marker)
        else:
            world.markers[marker] = scope
        world.planted[f"{type(obj).__name__}.{name}#{obj.pk}"] = marker
    type(obj)._default_manager.filter(pk=obj.pk).update(**values)
    for name, value in values.items():
        setattr(obj, name, value)


def _people(world: World, gd: Province, sd: Province) -> None:
    guangzhou, shenzhen = City.objects.get(code="4401"), City.objects.get(code="4403")
    other_institution = f.InstitutionFactory(province=gd, city=guangzhou, name="另一家评价机构")
    people = {
        "provincial_officer": f.provincial_officer(gd),
        "city_officer": f.city_officer(gd, "4401"),
        "quality_supervisor": f.MembershipFactory(province=gd, quality_supervisor=True).user,
        MEMBER_OF_ANOTHER_INSTITUTION: f.member_of(other_institution),
        OFFICER_OF_ANOTHER_CITY: f.city_officer(gd, shenzhen.code),
        OFFICER_OF_ANOTHER_PROVINCE: f.provincial_officer(sd),
        EXPERT_NOT_ASSIGNED: f.expert_with_account(gd).user,
        SUPERVISOR_OF_ANOTHER_PROVINCE: f.MembershipFactory(province=sd, quality_supervisor=True).user,
    }
    world.users.update(people)
    world.superuser = f.UserFactory(superuser=True)
    TOTPDevice.objects.create(user=world.superuser, name="matrix", confirmed=True)


def login_state(world: World) -> None:
    """A session and an API token for every person of the world, made once: each case opens a client on them."""
    for user in User.objects.all():
        client = Client()
        client.force_login(user)
        world.sessions[str(user.pk)] = client.cookies[settings.SESSION_COOKIE_NAME].value
        world.tokens[str(user.pk)] = Token.objects.get_or_create(user=user)[0].key


def _applications(world: World, gd: Province) -> None:
    """A closed call, an application of it in city scoring with an occupation and a document, its city's panel,
    an expert's sheet on it and the round's leadership approval."""
    call = world.add("call", f.CallFactory(closed=True, province=gd), Scope.PROVINCE)
    application = f.ApplicationFactory(city_scoring=True, province=gd, call=call)
    institution = application.institution
    world.add("application", application, Scope.INSTITUTION, institution=institution)
    world.add("application_occupation", application.occupations.first(), Scope.INSTITUTION, institution=institution)
    evidence = world.add("evidence", f.EvidenceFactory(application=application), Scope.INSTITUTION,
                         institution=institution)
    world.add("institution", institution, Scope.INSTITUTION, institution=institution)
    panel = world.add("panel", f.PanelFactory(call=call), Scope.CITY)
    expert = f.expert_with_account(gd)
    world.users["expert"] = expert.user
    sheet = f.sheet_with_total(panel, application, 80, expert=expert, submitted=False)
    world.add("sheet", sheet, Scope.PERSONAL, institution=institution, owner=expert.user)
    world.add("expert", expert, Scope.PROVINCE)
    world.add("city", "4401", Scope.CITY)
    approval = LeadershipApproval.objects.create(
        round=f.selection_round(call), meeting_date=dt.date(2026, 5, 29), document_number="测〔2026〕1号",
        attachment=ContentFile(b"%PDF-1.4\n%approval\n", name="approval.pdf"), attachment_name="审定纪要.pdf",
        attachment_content_type="application/pdf", attachment_sha256="0" * 64, recorded_by=call.created_by)
    world.add("approval", approval, Scope.PROVINCE)
    world.add("open_call", f.CallFactory(province=gd), Scope.PROVINCE)
    for key, state in (("recommended_application", "recommended"), ("province_review_application", "province_review")):
        later = f.ApplicationFactory(city_scoring=True, province=gd, call=call, state=state)
        world.add(key, later, Scope.INSTITUTION, institution=later.institution)
    f.the_member(institution)
    plant(world, call, Scope.PROVINCE, "title")
    plant(world, evidence, Scope.INSTITUTION, "original_name")
    plant(world, sheet, Scope.PERSONAL, "comment")
    plant(world, expert, Scope.PROVINCE, "name", "employer")
    plant(world, approval, Scope.PROVINCE, "document_number")
    plant(world, institution, Scope.PUBLIC, "name")


def _cultivation_and_filing(world: World, gd: Province) -> None:
    """A signed cultivation with its two tasks and a question bank file; a filing with its letter and an addition."""
    cultivation = f.CultivationFactory(province=gd, signed=True)
    institution = cultivation.institution
    world.add("cultivation", cultivation, Scope.INSTITUTION, institution=institution)
    bank = cultivation.occupations.get().tasks.get(kind=TaskKind.QUESTION_BANK)
    world.add("task", bank, Scope.INSTITUTION, institution=institution)
    world.add("training_task", cultivation.occupations.get().tasks.get(kind=TaskKind.EXAM_TRAINING),
              Scope.INSTITUTION, institution=institution)
    round_ = QuestionBankRound.objects.create(task=bank, number=1, submitted_by=f.the_member(institution))
    stored = QuestionBankFile(round=round_, kind="items", original_name="试题.pdf", content_type="application/pdf",
                              size=len(f.PDF), sha256="0" * 64)
    stored.file.save("q.bin", ContentFile(f.PDF), save=False)
    stored.save()
    world.add("question_bank_file", stored, Scope.INSTITUTION, institution=institution)
    accepted = f.CultivationFactory(province=gd, signed=True)
    f.accept_occupation(accepted.occupations.get(), world.users["provincial_officer"])
    world.add("accepted_cultivation", accepted, Scope.INSTITUTION, institution=accepted.institution)
    plant(world, cultivation, Scope.INSTITUTION, "commitment_signer_name")
    plant(world, stored, Scope.INSTITUTION, "original_name")
    plant(world, institution, Scope.PUBLIC, "name")

    addition = f.an_addition(gd)
    filing = addition.filing
    world.add("filing", filing, Scope.INSTITUTION, institution=filing.institution)
    world.add("filing_letter", filing.letters.get(), Scope.INSTITUTION, institution=filing.institution)
    world.add("addition", addition, Scope.INSTITUTION, institution=filing.institution)
    world.add("organization", filing.institution, Scope.INSTITUTION, institution=filing.institution)
    plant(world, addition, Scope.INSTITUTION, "note")
    plant(world, filing.institution, Scope.PUBLIC, "name")


def _exams(world: World, gd: Province) -> None:
    """A filed plan with a session and a candidate; a plan in results entry; a plan with an objection to its
    results; an approved plan awaiting photos."""
    plan = f.filed_plan_in(gd)
    institution = plan.institution
    world.add("exam_plan", plan, Scope.INSTITUTION, institution=institution)
    world.add("exam_session", plan.sessions.get(), Scope.INSTITUTION, institution=institution)
    entering = f.filed_plan_in(gd, state="results_entry")
    world.add("results_plan", entering, Scope.INSTITUTION, institution=entering.institution)
    world.add("candidate", entering.candidates.get(), Scope.INSTITUTION, institution=entering.institution)
    objected = f.filed_plan_in(gd)
    world.add("exam_objection", f.objection_on(objected), Scope.INSTITUTION, institution=objected.institution)
    photos = f.approved_plan(f.FilingFactory(province=gd), candidates=1)
    world.add("photo_plan", photos, Scope.INSTITUTION, institution=photos.institution)
    for each in (plan, entering, objected, photos):
        plant(world, each, Scope.INSTITUTION, "title")
        plant(world, each.candidates.first(), Scope.INSTITUTION, "name")
        plant(world, each.institution, Scope.PUBLIC, "name")
        f.the_member(each.institution)
    draft = f.filed_plan_in(gd, state="draft")
    world.add("draft_plan", draft, Scope.INSTITUTION, institution=draft.institution)
    world.add("draft_session", draft.sessions.get(), Scope.INSTITUTION, institution=draft.institution)
    world.add("exam_staff", f.staff(draft.filing, "invigilator", 1)[0], Scope.INSTITUTION,
              institution=draft.institution)
    plant(world, plan.sessions.get().venue, Scope.INSTITUTION, "name")
    plant(world, world.things["exam_objection"].obj, Scope.PROVINCE, "text", "name")


def _certificates(world: World, gd: Province) -> None:
    """An issued certificate with its PDF and batch; another with a revocation request."""
    certificate = certificate_with_pdf(gd)
    institution = certificate.filing.institution
    world.add("certificate", certificate, Scope.INSTITUTION, institution=institution)
    world.add("batch", certificate.batch, Scope.INSTITUTION, institution=institution)
    revoked = f.a_certificate(gd)
    change = certificate_services.request_revocation(revoked, acting_user=f.the_member(revoked.filing),
                                                     reason_code="other", reason="测试")
    world.add("certificate_change", change, Scope.INSTITUTION, institution=revoked.filing.institution)
    for each in (certificate, revoked):
        plant(world, each, Scope.INSTITUTION, "holder_name")
        plant(world, each.filing.institution, Scope.PUBLIC, "name")
        f.the_member(each.filing.institution)
    plant(world, change, Scope.INSTITUTION, "reason")
    _holder(world, gd)


def _holder(world: World, gd: Province) -> None:
    """A holder's account with two share links: one to revoke (personal), one whose token anyone
    anywhere may open (a holder's certificates are valid nationwide)."""
    held = f.a_certificate(gd)
    user = User.objects.create_user(username=held.id_number, password="Matrix-holder-2026")
    account = HolderAccount.objects.create(user=user, id_type=held.id_type, id_number=held.id_number,
                                           holder_name=held.holder_name)
    revocable, _token = certificate_services.create_share_link(account, [held.pk], acting_user=user)
    _shown, token = certificate_services.create_share_link(account, [held.pk], acting_user=user)
    world.add("share_link", revocable, Scope.PERSONAL, owner=user)
    world.add("share_token", token, Scope.SHARED)  # a share link opens for anyone, from any province


def _supervision_and_core(world: World, gd: Province) -> None:
    """A ranking, a fraud flag, an audit event, an export, a notice with an objection, a message."""
    officer, city_officer = world.users["provincial_officer"], world.users["city_officer"]
    organization = world.things["organization"].obj
    ranking = Ranking.objects.create(
        province=gd, group="6-18", period_kind="year", period="2026", period_start=dt.date(2026, 1, 1),
        formula=current_formula(gd), min_n=30, created_by=officer)
    world.add("ranking", ranking, Scope.PROVINCE)
    flag = FraudFlag.objects.create(province=gd, kind=FlagKind.SHARED_MOBILE, key="matrix", summary="同一手机号",
                                    found_at=timezone.now(), institution=organization)
    world.add("flag", flag, Scope.INSTITUTION, institution=organization)
    event = world.add("audit_event", f.AuditEventFactory(province=gd), Scope.PROVINCE)
    export = f.ExportJobFactory(province=gd, requested_by=city_officer, done=True)
    world.add("export", export, Scope.PERSONAL, owner=city_officer)
    notice = world.add("notice", f.PublicityNoticeFactory(province=gd, starts_on=timezone.localdate()), Scope.PUBLIC)
    objection = f.ObjectionFactory(item__notice=notice, with_attachment=True)
    world.add("publicity_objection", objection, Scope.PROVINCE)
    message = f.NotificationFactory(recipient=officer, province=gd)
    world.add("notification", message, Scope.PERSONAL, owner=officer)
    world.add("calendar_year", 2026, Scope.SHARED)
    plant(world, flag, Scope.INSTITUTION, "summary")
    plant(world, event, Scope.PROVINCE, "object_repr")
    plant(world, export, Scope.PERSONAL, "title")
    plant(world, notice, Scope.PUBLIC, "title")
    plant(world, objection, Scope.PROVINCE, "text", "contact")
    plant(world, message, Scope.PERSONAL, "title")


def _foreign(world: World, gd: Province, sd: Province) -> None:
    """Objects a body may name that its sender cannot reach: of Shenzhen or another institution, and of Shandong."""
    shenzhen = City.objects.get(code="4403")
    call = world.things["call"].obj
    near = f.ApplicationFactory(city_scoring=True, province=gd, call=call, institution__city=shenzhen)
    far = f.ApplicationFactory(city_scoring=True, province=sd)
    near_plan = f.approved_plan(f.FilingFactory(province=gd), candidates=1)
    far_plan = f.approved_plan(f.FilingFactory(province=sd), candidates=1)
    for plan in (near_plan, far_plan):
        f.the_member(plan.institution)
    near_venue, far_venue = f.venue_of(near_plan, "别家考点"), f.venue_of(far_plan, "外省考点")
    item = f.PublicityItemFactory(notice__province=sd)
    objects = {
        "application": (near, far), "selected": (near, far), "plan": (near_plan, far_plan),
        "venue": (near_venue, far_venue), "call": (None, f.CallFactory(closed=True, province=sd)),
        "expert": (None, f.ExpertFactory(province=sd)), "item": (None, item),
        "staff": (f.staff(near_plan.filing, "invigilator", 1)[0], f.staff(far_plan.filing, "invigilator", 1)[0]),
        "occupations": (None, f.CultivationFactory(province=sd, signed=True).occupations.get()),
    }
    for name, (near_object, far_object) in objects.items():
        world.foreign[(name, "another_province")] = far_object
        if near_object is not None:
            world.foreign[(name, "another_city")] = near_object
    for each in (near, far, near_plan, far_plan):
        plant(world, each.institution, None, "name")
    for each in (near_venue, far_venue):
        plant(world, each, None, "name")
    plant(world, item, None, "title")


def build_world() -> World:
    from tests.security.world_supervision import supervision_objects  # it builds on this module's World

    world = World()
    gd, sd = Province.objects.get(slug="gd"), Province.objects.get(slug="sd")
    _people(world, gd, sd)
    _applications(world, gd)
    _cultivation_and_filing(world, gd)
    _exams(world, gd)
    _certificates(world, gd)
    _supervision_and_core(world, gd)
    supervision_objects(world, gd)
    _foreign(world, gd, sd)
    login_state(world)
    return world

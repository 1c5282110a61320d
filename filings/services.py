"""Every write of filings: one function per change, the only path for it (this and selectors are the public face).

Each function runs in a transaction, locks the row it changes, refuses an illegal move with a DomainError whose
message a person understands, writes an audit event with the reason and the changed fields, and queues
notifications after commit.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from portal.audit import diff, record_event, snapshot as field_values
from portal.errors import ConflictError, DomainError, InvalidTransition, NotPermitted
from portal.identifiers import normalize_credit_code, validate_credit_code
from portal.models import (
    City,
    Institution,
    Membership,
    Occupation,
    Province,
    Role,
    SkillLevel,
    User,
    WorkType,
)
from portal.notifications import notify

from . import numbering, selectors
from .models import (
    AdditionOccupation,
    AdditionState,
    Application,
    ApplicationOccupation,
    ApplicationState,
    Call,
    Correction,
    CorrectionItem,
    Cultivation,
    CultivationOccupation,
    CultivationOccupationState,
    CultivationReminder,
    CultivationState,
    CultivationTask,
    Evidence,
    ExitKind,
    Filing,
    FilingLetter,
    FilingOccupation,
    FilingStatus,
    LetterKind,
    OccupationAddition,
    QuestionBankFile,
    QuestionBankFileKind,
    QuestionBankRound,
    ReviewDecision,
    Route,
    Submission,
    TaskKind,
    TaskState,
)
from .policies import ApplicationFacts, Verdict, blocking
from .policies.base import OccupationChoice, Route as PackRoute
from .policies.checks import to_bool
from .uploads import check_upload

S = ApplicationState


# --- who may act ---

def _memberships(user: User, province: Province) -> QuerySet[Membership]:
    return Membership.objects.active().filter(user=user, province=province)


def _require_institution_member(user: User, institution: Institution) -> None:
    if not _memberships(user, institution.province).filter(
        role=Role.INSTITUTION_MEMBER, institution=institution
    ).exists():
        raise NotPermitted(_("只有本机构的用户可以办理此事项。"))


def _require_city_reviewer(user: User, application: Application) -> None:
    memberships = _memberships(user, application.province)
    if memberships.filter(role=Role.PROVINCIAL_OFFICER).exists():
        return
    if application.route == Route.CITY and memberships.filter(role=Role.CITY_OFFICER, city=application.city).exists():
        return
    raise NotPermitted(_("只有申请所在地市的经办人员或省级经办人员可以办理此事项。"))


def _require_provincial_officer(user: User, province: Province) -> None:
    if not _memberships(user, province).filter(role=Role.PROVINCIAL_OFFICER).exists():
        raise NotPermitted(_("只有省级经办人员可以办理此事项。"))


def users_with_role(province: Province, role: str, *, city: City | None = None,
                    institution: Institution | None = None) -> list[User]:
    qs = Membership.objects.active().filter(province=province, role=role).select_related("user")
    if city is not None:
        qs = qs.filter(city=city)
    if institution is not None:
        qs = qs.filter(institution=institution)
    return [m.user for m in qs]


# --- institutions ---

INSTITUTION_FIELDS = [
    "name", "credit_code", "category", "nature", "level", "city", "address", "legal_representative",
    "registered_capital", "contact_person", "contact_title", "contact_phone", "contact_email",
]


def _check_institution_data(province: Province, data: dict[str, Any], *, exclude_pk: int | None = None) -> dict[str, Any]:
    data = dict(data)
    data["credit_code"] = normalize_credit_code(data["credit_code"])
    try:
        validate_credit_code(data["credit_code"])
    except ValidationError as exc:
        raise DomainError(exc.messages[0], code=exc.code or "uscc_invalid") from exc
    pack = selectors.pack_for(province)
    if data["category"] not in {c.key for c in pack.categories}:
        raise DomainError(_("申请类别“%(c)s”不在本省政策包中。") % {"c": data["category"]}, code="category_unknown")
    if data["city"].province_id != province.pk:
        raise DomainError(_("所在地市必须属于%(p)s。") % {"p": province.name}, code="city_outside_province")
    duplicate = Institution.objects.filter(province=province, credit_code=data["credit_code"])
    if exclude_pk:
        duplicate = duplicate.exclude(pk=exclude_pk)
    if duplicate.exists():
        raise DomainError(
            _("统一社会信用代码%(code)s已在本省注册，请勿重复注册；如需加入该机构账户，请联系其管理员。")
            % {"code": data["credit_code"]},
            code="uscc_duplicate",
        )
    return data


def register_institution(
    province: Province, *, username: str, password: str, email: str, mobile: str | None, display_name: str,
    institution_data: dict[str, Any],
) -> tuple[User, Institution]:
    """An applicant registers an account and its institution; the account becomes the institution's member."""
    data = _check_institution_data(province, institution_data)
    try:
        with transaction.atomic():
            if User.objects.filter(username=username).exists():
                raise DomainError(_("用户名“%(u)s”已被使用。") % {"u": username}, code="username_taken")
            if mobile and User.objects.filter(mobile=mobile).exists():
                raise DomainError(_("手机号码%(m)s已注册。") % {"m": mobile}, code="mobile_taken")
            user = User(username=username, email=email, mobile=mobile or None, display_name=display_name)
            user.set_password(password)
            user.save()
            institution = Institution.objects.create(province=province, **data)
            Membership.objects.create(
                user=user, province=province, role=Role.INSTITUTION_MEMBER, institution=institution
            )
            record_event(
                actor=user, action="institution_registered", obj=institution, province=province,
                changes={k: {"before": None, "after": str(v)} for k, v in data.items()},
            )
    except IntegrityError as exc:
        raise ConflictError(_("该机构或账户刚刚已被注册，请刷新后重试。")) from exc
    return user, institution


def update_institution(institution: Institution, *, acting_user: User, data: dict[str, Any]) -> Institution:
    _require_institution_member(acting_user, institution)
    data = _check_institution_data(institution.province, data, exclude_pk=institution.pk)
    with transaction.atomic():
        locked = Institution.objects.select_for_update().get(pk=institution.pk)
        before = {k: str(getattr(locked, k)) for k in data}
        for key, value in data.items():
            setattr(locked, key, value)
        after = {k: str(getattr(locked, k)) for k in data}
        changes = diff(before, after)
        if not changes:
            return locked
        locked.save()
        record_event(actor=acting_user, action="institution_updated", obj=locked, province=locked.province,
                     changes=changes)
    return locked


# --- calls ---

def open_call(
    province: Province, *, acting_user: User, year: int, title: str, application_deadline: dt.datetime,
    city_review_deadline: dt.datetime, occupations: Iterable[Occupation] = (), options: dict[str, Any] | None = None,
) -> Call:
    _require_provincial_officer(acting_user, province)
    if city_review_deadline < application_deadline:
        raise DomainError(_("地市初审截止时间不能早于申报截止时间。"), code="call_deadlines")
    with transaction.atomic():
        call = Call.objects.create(
            province=province, year=year, title=title, application_deadline=application_deadline,
            city_review_deadline=city_review_deadline, options=options or {}, created_by=acting_user,
        )
        call.occupations.set(list(occupations))
        record_event(
            actor=acting_user, action="call_opened", obj=call, province=province,
            changes={"application_deadline": {"before": None, "after": application_deadline.isoformat()},
                     "city_review_deadline": {"before": None, "after": city_review_deadline.isoformat()}},
        )
    return call


# --- the applicant's draft ---

def create_application(call: Call, institution: Institution, *, acting_user: User) -> Application:
    _require_institution_member(acting_user, institution)
    if call.province_id != institution.province_id:
        raise DomainError(_("该批次不属于本机构所在省份。"), code="call_other_province")
    if not call.is_open:
        raise DomainError(_deadline_message(call), code="deadline_passed")
    existing = Application.objects.filter(call=call, institution=institution).exclude(state=S.WITHDRAWN).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            application = Application.objects.create(
                province=call.province, call=call, institution=institution, city=institution.city,
                category=institution.category, created_by=acting_user,
            )
            record_event(actor=acting_user, action="application_created", obj=application,
                         province=call.province, to_state=S.DRAFT)
    except IntegrityError:
        return Application.objects.filter(call=call, institution=institution).exclude(state=S.WITHDRAWN).get()
    return application


def _deadline_message(call: Call) -> str:
    return _("本批次申报截止时间为%(deadline)s，已截止，不能再提交。草稿已保留。") % {
        "deadline": timezone.localtime(call.application_deadline).strftime("%Y-%m-%d %H:%M")
    }


def _resubmission_deadline_message(call: Call) -> str:
    return _("本批次地市初审截止时间为%(deadline)s，已截止，不能再重新提交。修改已保留。") % {
        "deadline": timezone.localtime(call.city_review_deadline).strftime("%Y-%m-%d %H:%M")
    }


def _lock_editable(application: Application, acting_user: User) -> Application:
    _require_institution_member(acting_user, application.institution)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if not locked.is_editable:
        raise InvalidTransition(
            _("申请当前状态为“%(state)s”，不能修改。") % {"state": locked.get_state_display()},
            code="application_not_editable",
        )
    return locked


def add_occupation(
    application: Application, *, acting_user: User, occupation: Occupation, work_type: WorkType | None,
    levels: Sequence[int],
) -> ApplicationOccupation:
    levels = sorted({int(level) for level in levels}, reverse=True)
    if not levels or any(level not in SkillLevel.values for level in levels):
        raise DomainError(_("请至少选择一个有效的技能等级。"), code="levels_invalid")
    if work_type is not None and work_type.occupation_id != occupation.pk:
        raise DomainError(_("工种“%(w)s”不属于职业“%(o)s”。") % {"w": work_type.name, "o": occupation.name},
                          code="work_type_mismatch")
    with transaction.atomic():
        locked = _lock_editable(application, acting_user)
        if not selectors.admissible_occupations(locked).filter(pk=occupation.pk).exists():
            raise DomainError(_("职业“%(o)s”不在本批次可申报范围内。") % {"o": occupation.name},
                              code="occupation_not_admitted")
        pack = selectors.pack_for(locked.province)
        if pack.settings.max_occupations is not None and locked.occupations.count() >= pack.settings.max_occupations:
            raise DomainError(
                _("每个评价机构申报职业（工种）不得超过%(n)d个。") % {"n": pack.settings.max_occupations},
                code="too_many_occupations",
            )
        not_allowed = [level for level in levels if level not in pack.settings.allowed_levels]
        if not_allowed:
            raise DomainError(
                _("本省只受理以下等级：%(allowed)s；不能申报%(levels)s。") % {
                    "allowed": "、".join(str(SkillLevel(x).label) for x in pack.settings.allowed_levels),
                    "levels": "、".join(str(SkillLevel(x).label) for x in not_allowed),
                },
                code="level_not_allowed",
            )
        if locked.occupations.filter(occupation=occupation, work_type=work_type).exists():
            raise DomainError(_("已申报该职业（工种）。"), code="occupation_duplicate")
        item = ApplicationOccupation.objects.create(
            application=locked, occupation=occupation, work_type=work_type, levels=levels
        )
        record_event(actor=acting_user, action="occupation_added", obj=locked, province=locked.province,
                     changes={"occupation": {"before": None, "after": f"{occupation.code} {item} {levels}"}})
    return item


def remove_occupation(item: ApplicationOccupation, *, acting_user: User) -> None:
    with transaction.atomic():
        locked = _lock_editable(item.application, acting_user)
        label = f"{item.occupation.code} {item}"
        item.delete()
        record_event(actor=acting_user, action="occupation_removed", obj=locked, province=locked.province,
                     changes={"occupation": {"before": label, "after": None}})


def save_facts(
    application: Application, *, acting_user: User, facts: dict[str, Any],
    occupation_facts: dict[int, dict[str, Any]] | None = None, prefers_province_route: bool | None = None,
) -> Application:
    """Save the declared facts (a draft saves whatever is entered; the pre-check judges it)."""
    with transaction.atomic():
        locked = _lock_editable(application, acting_user)
        before: dict[str, Any] = {"facts": dict(locked.facts), "prefers_province_route": locked.prefers_province_route}
        locked.facts = {**locked.facts, **facts}
        if prefers_province_route is not None:
            locked.prefers_province_route = prefers_province_route
        locked.save(update_fields=["facts", "prefers_province_route", "updated_at"])
        changes = diff(
            {**before["facts"], "prefers_province_route": before["prefers_province_route"]},
            {**locked.facts, "prefers_province_route": locked.prefers_province_route},
        )
        for item in locked.occupations.select_for_update():
            new = (occupation_facts or {}).get(item.pk)
            if new is None:
                continue
            merged = {**item.facts, **new}
            for key, change in diff(item.facts, merged).items():
                changes[f"{item.occupation.code}.{key}"] = change
            item.facts = merged
            item.save(update_fields=["facts"])
        if changes:
            record_event(actor=acting_user, action="facts_saved", obj=locked, province=locked.province,
                         changes=changes)
    return locked


def upload_evidence(application: Application, *, acting_user: User, checklist_key: str, upload: UploadedFile) -> Evidence:
    pack = selectors.pack_for(application.province)
    if checklist_key not in {i.key for i in pack.checklist_for(application.category)}:
        raise DomainError(_("材料项“%(k)s”不在本类别的材料清单中。") % {"k": checklist_key}, code="checklist_unknown")
    checked = check_upload(upload)
    with transaction.atomic():
        locked = _lock_editable(application, acting_user)
        evidence = Evidence(
            application=locked, checklist_key=checklist_key, original_name=(upload.name or "file")[:200],
            content_type=checked.content_type, size=checked.size, sha256=checked.sha256, uploaded_by=acting_user,
        )
        evidence.file.save("upload.bin", upload, save=False)
        evidence.save()
        record_event(actor=acting_user, action="evidence_uploaded", obj=locked, province=locked.province,
                     changes={checklist_key: {"before": None, "after": f"{evidence.original_name} {checked.sha256[:12]}"}})
    return evidence


def remove_evidence(evidence: Evidence, *, acting_user: User) -> None:
    """Take a file off the checklist; the file itself is kept (nothing saved is lost), marked removed."""
    with transaction.atomic():
        locked = _lock_editable(evidence.application, acting_user)
        updated = Evidence.objects.filter(pk=evidence.pk, removed_at__isnull=True).update(removed_at=timezone.now())
        if updated:
            record_event(actor=acting_user, action="evidence_removed", obj=locked, province=locked.province,
                         changes={evidence.checklist_key: {"before": evidence.original_name, "after": None}})


def confirm_pledge(application: Application, *, acting_user: User, signer: str) -> Application:
    if not signer.strip():
        raise DomainError(_("请填写承诺人姓名。"), code="pledge_signer_missing")
    with transaction.atomic():
        locked = _lock_editable(application, acting_user)
        locked.pledge_confirmed_at = timezone.now()
        locked.pledge_signer = signer.strip()
        locked.save(update_fields=["pledge_confirmed_at", "pledge_signer", "updated_at"])
        record_event(actor=acting_user, action="pledge_confirmed", obj=locked, province=locked.province,
                     reason=selectors.pack_for(locked.province).integrity_pledge,
                     changes={"pledge_signer": {"before": None, "after": locked.pledge_signer}})
    return locked


# --- transitions ---

class SubmissionRefused(DomainError):
    code = "submission_refused"

    def __init__(self, problems: list[str]) -> None:
        super().__init__(_("申请尚不能提交：") + "；".join(problems))
        self.problems = problems


def submission_problems(application: Application) -> list[str]:
    """Everything that stands between a draft and its submission, in words the applicant can act on."""
    problems = []
    if not application.occupations.exists():
        problems.append(_("请至少申报一个职业（工种）"))
    for status in selectors.checklist_status(application):
        if status.missing:
            problems.append(_("请上传“%(label)s”") % {"label": status.item.label})
    for result in blocking(selectors.precheck(application)):
        problems.append(_("未满足基本条件【%(id)s】%(reason)s") % {"id": result.rule_id, "reason": result.reason})
    if application.pledge_confirmed_at is None:
        problems.append(_("请先确认诚信承诺"))
    return problems


# The columns a transition may change besides the state (foreign keys by their id column, no extra query).
_AUDITED_COLUMNS = [
    f.attname for f in Application._meta.concrete_fields if f.attname not in ("id", "state", "created_at", "updated_at")
]


def _transition(
    application: Application,
    *,
    acting_user: User,
    action: str,
    do: Callable[[Application], None],
    allowed: Callable[[Application], Any],
    reason: str = "",
    extra_changes: dict[str, Any] | None = None,
    before_save: Callable[[Application], None] | None = None,
) -> Application:
    """Lock the row, check the move, make it, save, audit. Raises InvalidTransition / ConflictError.

    The audit event records the state and every other column the move changed (route, reviewer, reason, dates).
    """
    try:
        with transaction.atomic():
            locked = Application.objects.select_for_update().select_related(
                "province", "call", "institution", "city"
            ).get(pk=application.pk)
            if locked.state != application.state:
                raise ConflictError(
                    _("该申请刚刚已被处理（当前状态：%(state)s），请刷新页面查看。")
                    % {"state": locked.get_state_display()}
                )
            if not can_proceed(allowed(locked)):
                raise InvalidTransition(
                    _("申请当前状态为“%(state)s”，不能执行该操作。") % {"state": locked.get_state_display()}
                )
            before = field_values(locked, _AUDITED_COLUMNS)
            if before_save is not None:
                before_save(locked)
            from_state = locked.state
            do(locked)
            locked.save()
            record_event(
                actor=acting_user, action=action, obj=locked, province=locked.province, from_state=from_state,
                to_state=locked.state, reason=reason, changes={"state": {"before": from_state, "after": locked.state},
                                                               **diff(before, field_values(locked, _AUDITED_COLUMNS)),
                                                               **(extra_changes or {})},
            )
    except ConcurrentTransition as exc:
        raise ConflictError(_("该申请刚刚已被他人处理，请刷新页面查看。")) from exc
    application.refresh_from_db()
    return locked


def _applicant_link(application: Application) -> str:
    return reverse("filings:application_detail", kwargs={"province": application.province.slug, "pk": application.pk})


def _review_link(application: Application) -> str:
    return reverse("filings:review_detail", kwargs={"province": application.province.slug, "pk": application.pk})


def submit_application(application: Application, *, acting_user: User) -> Application:
    """Submit a draft by the call's deadline, or resubmit a returned application by the city-review deadline (a
    return for correction comes during the city's review, usually after the application deadline)."""
    _require_institution_member(acting_user, application.institution)
    call = application.call
    if application.state == S.RETURNED:
        if timezone.now() > call.city_review_deadline:
            raise DomainError(_resubmission_deadline_message(call), code="deadline_passed")
    elif not call.is_open:
        raise DomainError(_deadline_message(call), code="deadline_passed")

    def check(locked: Application) -> None:
        problems = submission_problems(locked)
        if problems:
            raise SubmissionRefused(problems)
        pack = selectors.pack_for(locked.province)
        route: PackRoute | None = pack.route(selectors.application_facts(locked), locked.prefers_province_route) if pack.route else None
        locked.route = route.key if route else Route.CITY

    def do(locked: Application) -> None:
        locked.submit()
        Submission.objects.create(
            application=locked, number=locked.submission_count, snapshot=selectors.snapshot(locked),
            submitted_by=acting_user,
        )
        Correction.objects.filter(application=locked, resubmitted_at__isnull=True).update(resubmitted_at=timezone.now())

    submitted = _transition(
        application, acting_user=acting_user, action="application_submitted", do=do,
        allowed=lambda a: a.submit, before_save=check,
    )
    if enters_cultivation_at_submission(submitted):
        _start_cultivation(submitted, actor=acting_user, reason=_("链主培育单位直接进入培育辅导期"))
        submitted.refresh_from_db()
        return submitted
    if submitted.route == Route.CITY:
        officers = users_with_role(submitted.province, Role.CITY_OFFICER, city=submitted.city)
    else:
        officers = users_with_role(submitted.province, Role.PROVINCIAL_OFFICER)
    notify(
        officers,
        title=_("新的备案申请待受理：%(name)s") % {"name": submitted.institution.name},
        body=_("%(name)s 已提交（第%(n)d次），请在初审截止前完成审核。") % {
            "name": submitted.institution.name, "n": submitted.submission_count},
        link=_review_link(submitted), province=submitted.province,
    )
    return submitted


def withdraw_application(application: Application, *, acting_user: User, reason: str) -> Application:
    _require_institution_member(acting_user, application.institution)
    withdrawn = _transition(application, acting_user=acting_user, action="application_withdrawn",
                            do=lambda a: a.withdraw(reason), allowed=lambda a: a.withdraw, reason=reason)
    if withdrawn.reviewer:
        notify([withdrawn.reviewer], title=_("申请已撤回：%(name)s") % {"name": withdrawn.institution.name},
               body=reason, link=_review_link(withdrawn), province=withdrawn.province)
    return withdrawn


def start_city_review(application: Application, *, acting_user: User) -> Application:
    _require_city_reviewer(acting_user, application)
    return _transition(application, acting_user=acting_user, action="city_review_started",
                       do=lambda a: a.start_city_review(acting_user), allowed=lambda a: a.start_city_review)


@dataclass(frozen=True)
class CorrectionRequest:
    target: str
    target_label: str
    problem: str


def return_application(
    application: Application, *, acting_user: User, items: Sequence[CorrectionRequest], note: str = ""
) -> Correction:
    """Return for correction (补正) with an itemized list; the applicant sees exactly that list."""
    _require_city_reviewer(acting_user, application)
    items = [i for i in items if i.problem.strip()]
    if not items:
        raise DomainError(_("请至少列出一项需要补正的内容，并说明问题。"), code="correction_items_missing")
    created: dict[str, Correction] = {}

    def do(locked: Application) -> None:
        locked.return_for_correction()
        number = locked.corrections.count() + 1
        correction = Correction.objects.create(application=locked, round=number, note=note, created_by=acting_user)
        CorrectionItem.objects.bulk_create(
            CorrectionItem(correction=correction, target=i.target, target_label=i.target_label, problem=i.problem.strip())
            for i in items
        )
        created["correction"] = correction

    returned = _transition(
        application, acting_user=acting_user, action="application_returned", do=do,
        allowed=lambda a: a.return_for_correction, reason=note,
        extra_changes={"items": [f"{i.target_label}：{i.problem}" for i in items]},
    )
    notify(
        users_with_role(returned.province, Role.INSTITUTION_MEMBER, institution=returned.institution),
        title=_("备案申请被退回补正：%(n)d项") % {"n": len(items)},
        body="\n".join(f"{n}. {i.target_label}：{i.problem}" for n, i in enumerate(items, start=1)),
        link=_applicant_link(returned), province=returned.province,
    )
    return created["correction"]


def not_recommend_application(application: Application, *, acting_user: User, reason: str) -> Application:
    _require_city_reviewer(acting_user, application)
    if not reason.strip():
        raise DomainError(_("不予推荐必须填写理由。"), code="reason_required")
    result = _transition(application, acting_user=acting_user, action="application_not_recommended",
                         do=lambda a: a.not_recommend(reason.strip()), allowed=lambda a: a.not_recommend,
                         reason=reason.strip())
    notify(
        users_with_role(result.province, Role.INSTITUTION_MEMBER, institution=result.institution),
        title=_("备案申请不予推荐"), body=reason.strip(), link=_applicant_link(result), province=result.province,
    )
    return result


def pass_city_review(application: Application, *, acting_user: User) -> Application:
    """Basic conditions verified: the application goes on to expert scoring and the city's recommendation."""
    _require_city_reviewer(acting_user, application)
    return _transition(application, acting_user=acting_user, action="city_review_passed",
                       do=lambda a: a.pass_city_review(), allowed=lambda a: a.pass_city_review)


def recommend_application(application: Application, *, acting_user: User, reason: str = "") -> Application:
    """The city recommends the application to the province (called by selection with the summary table)."""
    _require_city_reviewer(acting_user, application)
    return _transition(application, acting_user=acting_user, action="application_recommended",
                       do=lambda a: a.recommend(reason), allowed=lambda a: a.recommend, reason=reason)


# --- province review, approval and publicity (driven by selection) ---

def _require_officer_or_system(acting_user: User | None, province: Province) -> None:
    """Sweeps act as the system (acting_user None); people must be provincial officers."""
    if acting_user is not None:
        _require_provincial_officer(acting_user, province)


def start_province_review(application: Application, *, acting_user: User | None) -> Application:
    """Recommended by the city (or filed straight with the province): the province's expert review begins."""
    _require_officer_or_system(acting_user, application.province)
    return _transition(application, acting_user=acting_user, action="province_review_started",  # type: ignore[arg-type]
                       do=lambda a: a.start_province_review(), allowed=lambda a: a.start_province_review)


def select_application(application: Application, *, acting_user: User, reason: str = "") -> Application:
    _require_provincial_officer(acting_user, application.province)
    return _transition(application, acting_user=acting_user, action="application_selected",
                       do=lambda a: a.select(), allowed=lambda a: a.select, reason=reason)


def not_select_application(application: Application, *, acting_user: User | None, reason: str) -> Application:
    """Not selected by the province, or withdrawn from publicity after an upheld objection (reason required)."""
    _require_officer_or_system(acting_user, application.province)
    if not reason.strip():
        raise DomainError(_("未入选必须填写理由。"), code="reason_required")
    result = _transition(application, acting_user=acting_user, action="application_not_selected",  # type: ignore[arg-type]
                         do=lambda a: a.not_select(reason.strip()), allowed=lambda a: a.not_select,
                         reason=reason.strip())
    notify(users_with_role(result.province, Role.INSTITUTION_MEMBER, institution=result.institution),
           title=_("备案申请未入选"), body=reason.strip(), link=_applicant_link(result), province=result.province)
    return result


def approve_application(application: Application, *, acting_user: User, reason: str = "") -> Application:
    """The leadership group (领导小组) approved the selection; the approval record itself is selection's."""
    _require_provincial_officer(acting_user, application.province)
    return _transition(application, acting_user=acting_user, action="application_approved",
                       do=lambda a: a.approve(), allowed=lambda a: a.approve, reason=reason)


def publish_application(application: Application, *, acting_user: User) -> Application:
    _require_provincial_officer(acting_user, application.province)
    return _transition(application, acting_user=acting_user, action="application_published",
                       do=lambda a: a.publish(), allowed=lambda a: a.publish)


def end_application_publicity(application: Application, *, acting_user: User | None = None) -> Application:
    """Publicity ended with no upheld objection against this application (a sweep, or an officer)."""
    _require_officer_or_system(acting_user, application.province)
    return _transition(application, acting_user=acting_user, action="publicity_ended",  # type: ignore[arg-type]
                       do=lambda a: a.end_publicity(), allowed=lambda a: a.end_publicity)


# ======================================================================================================================
# From selected to filed (issue 5): cultivation (培育辅导期), question banks, filing (备案) with its letters and numbers,
# Shandong's institution code and receipt, added occupations and the catalog. Same rules as above: one function per
# change, atomic, rows locked, an audit event per change, notifications and documents after commit.
# ======================================================================================================================

CO = CultivationOccupationState
REMINDER_DAYS_BEFORE = (30, 7, 1)  # notices before the last day of a cultivation


@dataclass(frozen=True)
class ScopeLine:
    """One occupation (and work type) with its levels, as it enters a cultivation or a filing."""

    occupation: Occupation
    work_type: WorkType | None
    levels: Sequence[int]

    def as_dict(self) -> dict[str, Any]:
        levels = sorted({int(x) for x in self.levels}, reverse=True)
        return {
            "code": self.occupation.code,
            "occupation": self.occupation.name,
            "work_type": self.work_type.name if self.work_type else "",
            "levels": levels,
            "level_labels": "、".join(str(SkillLevel(x).label) for x in levels),
        }


def _institution_members(institution: Institution) -> list[User]:
    return users_with_role(institution.province, Role.INSTITUTION_MEMBER, institution=institution)


def _cultivation_link(cultivation: Cultivation) -> str:
    return reverse("filings:cultivation_detail", kwargs={"province": cultivation.province.slug, "pk": cultivation.pk})


def _filing_link(filing: Filing) -> str:
    return reverse("filings:filing_detail", kwargs={"province": filing.province.slug, "pk": filing.pk})


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def filing_validity(start: dt.date, years: int) -> dt.date:
    """The last day of a filing valid `years` from `start` (start 2026-03-01, 3 years → 2029-02-28)."""
    return _add_years(start, years) - dt.timedelta(days=1)


def cultivation_end(start: dt.date, days: int) -> dt.date:
    """The last day of a cultivation of `days` days starting on `start` (day 1): start + days - 1."""
    return start + dt.timedelta(days=days - 1)


ISSUING_BODIES = {
    "44": "广东省职业技能服务指导中心",  # 001 四(三) 由省职业技能服务指导中心出具备案函
    "37": "山东省职业技能鉴定指导中心",  # 002 三(二)4
    "52": "贵州省人力资源和社会保障厅",  # 003 第十七条
}


def issuing_body(province: Province, city: City | None = None) -> str:
    """Who issues the filing letter or receipt: Shandong's city centres issue the receipts of their selections."""
    if city is not None:
        return f"{city.name}职业技能鉴定（指导）中心"
    return ISSUING_BODIES.get(province.code, f"{province.name}人力资源和社会保障厅")


# --- starting a cultivation ---

def enters_cultivation_at_submission(application: Application) -> bool:
    """Chain-leader cultivation units (链主培育单位, 001 四(一)4) skip selection and enter cultivation directly."""
    pack = selectors.pack_for(application.province)
    return pack.settings.has_cultivation and bool(to_bool(application.facts.get("is_chain_leader")))


def _open_cultivation(
    *, province: Province, institution: Institution, city: City, lines: Sequence[ScopeLine], actor: User | None,
    application: Application | None = None, addition: OccupationAddition | None = None, filing: Filing | None = None,
    reason: str = "",
) -> Cultivation:
    """Create the cultivation, its occupations and their two tasks each (inside the caller's transaction)."""
    pack = selectors.pack_for(province)
    today = timezone.localdate()
    cultivation = Cultivation.objects.create(
        province=province, institution=institution, city=city, application=application, addition=addition,
        filing=filing, started_on=today, ends_on=cultivation_end(today, pack.settings.cultivation_days),
    )
    for line in lines:
        item = CultivationOccupation.objects.create(
            cultivation=cultivation, occupation=line.occupation, work_type=line.work_type,
            levels=sorted({int(x) for x in line.levels}, reverse=True),
        )
        CultivationTask.objects.bulk_create(CultivationTask(occupation=item, kind=kind) for kind in TaskKind.values)
    record_event(
        actor=actor, action="cultivation_started", obj=cultivation, province=province, to_state=cultivation.state,
        reason=reason, changes={
            "started_on": {"before": None, "after": cultivation.started_on.isoformat()},
            "ends_on": {"before": None, "after": cultivation.ends_on.isoformat()},
            "occupations": {"before": None, "after": [line.as_dict()["code"] for line in lines]},
        },
    )
    return cultivation


def _notify_cultivation_started(cultivation: Cultivation) -> None:
    notify(
        _institution_members(cultivation.institution),
        title=_("已进入培育辅导期，请签署培育机构工作承诺书"),
        body=_("培育辅导期自%(start)s起至%(end)s止（共%(days)d天，含当天）。签署承诺书后方可提交试题资源。") % {
            "start": cultivation.started_on.isoformat(), "end": cultivation.ends_on.isoformat(),
            "days": (cultivation.ends_on - cultivation.started_on).days + 1,
        },
        link=_cultivation_link(cultivation), province=cultivation.province,
    )


def _start_cultivation(application: Application, *, actor: User | None, reason: str) -> Cultivation:
    created: dict[str, Cultivation] = {}

    def do(locked: Application) -> None:
        locked.start_cultivation()
        lines = [ScopeLine(o.occupation, o.work_type, o.levels)
                 for o in locked.occupations.select_related("occupation", "work_type")]
        if not lines:
            raise DomainError(_("申请没有申报职业，不能进入培育辅导期。"), code="no_occupations")
        created["cultivation"] = _open_cultivation(
            province=locked.province, institution=locked.institution, city=locked.city, lines=lines, actor=actor,
            application=locked, reason=reason,
        )

    _transition(application, acting_user=actor, action="application_cultivation_started", do=do,  # type: ignore[arg-type]
                allowed=lambda a: a.start_cultivation, reason=reason)
    cultivation = created["cultivation"]
    _notify_cultivation_started(cultivation)
    return cultivation


def start_cultivation(application: Application, *, acting_user: User | None, reason: str = "") -> Cultivation:
    """Publicity ended with no upheld objection (or a chain-leader unit submitted): cultivation begins today."""
    _require_officer_or_system(acting_user, application.province)
    if not selectors.pack_for(application.province).settings.has_cultivation:
        raise DomainError(_("本省没有培育辅导期。"), code="no_cultivation_in_province")
    return _start_cultivation(application, actor=acting_user, reason=reason)


def advance_after_publicity(application: Application, *, acting_user: User | None = None) -> Cultivation | Filing:
    """What follows a publicity that ended with no upheld objection, by the province's pack.

    Called by selection right after end_application_publicity. Guangdong (has_cultivation): the cultivation starts;
    Shandong (assigns_institution_code): filed with an institution code and a receipt; elsewhere filed with a letter.
    """
    pack = selectors.pack_for(application.province)
    if pack.settings.has_cultivation:
        return start_cultivation(application, acting_user=acting_user, reason=_("公示期满无异议，进入培育辅导期"))
    return file_application(application, acting_user=acting_user)


# --- the commitment letter (承诺书) ---

def _lock_cultivation(cultivation: Cultivation) -> Cultivation:
    return Cultivation.objects.select_for_update(of=("self",)).select_related("province", "institution", "city").get(
        pk=cultivation.pk
    )


def _require_active(cultivation: Cultivation, *, today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    if cultivation.state != CultivationState.ACTIVE or today > cultivation.ends_on:
        raise InvalidTransition(
            _("培育辅导期已于%(end)s结束（当前状态：%(state)s），不能再办理培育任务。")
            % {"end": cultivation.ends_on.isoformat(), "state": cultivation.get_state_display()},
            code="cultivation_not_active",
        )


def sign_commitment(
    cultivation: Cultivation, *, acting_user: User, signer_name: str, signer_title: str
) -> Cultivation:
    """The organization signs the province's commitment letter (培育机构工作承诺书); the PDF is rendered after commit."""
    _require_institution_member(acting_user, cultivation.institution)
    signer_name, signer_title = signer_name.strip(), signer_title.strip()
    if not signer_name or not signer_title:
        raise DomainError(_("请填写签署人姓名和职务。"), code="commitment_signer_missing")
    text = selectors.pack_for(cultivation.province).commitment_letter
    if not text:
        raise DomainError(_("本省政策包没有培育机构工作承诺书。"), code="no_commitment_letter")
    with transaction.atomic():
        locked = _lock_cultivation(cultivation)
        if locked.is_signed:
            raise ConflictError(
                _("承诺书已于%(at)s由%(name)s签署。") % {
                    "at": timezone.localtime(locked.commitment_signed_at).strftime("%Y-%m-%d %H:%M"),  # type: ignore[arg-type]
                    "name": locked.commitment_signer_name},
                code="commitment_already_signed",
            )
        _require_active(locked)
        locked.commitment_text = text
        locked.commitment_signer_name = signer_name
        locked.commitment_signer_title = signer_title
        locked.commitment_signed_at = timezone.now()
        locked.commitment_signed_by = acting_user
        locked.save(update_fields=["commitment_text", "commitment_signer_name", "commitment_signer_title",
                                   "commitment_signed_at", "commitment_signed_by"])
        record_event(
            actor=acting_user, action="commitment_signed", obj=locked, province=locked.province, reason=text,
            changes={"commitment_signer_name": {"before": "", "after": signer_name},
                     "commitment_signer_title": {"before": "", "after": signer_title},
                     "commitment_signed_at": {"before": None, "after": locked.commitment_signed_at}},
        )
        transaction.on_commit(lambda: _queue("render_commitment_letter", locked.pk))
    return locked


def _queue(task_name: str, *args: Any) -> None:
    """Start a filings task (call only from transaction.on_commit)."""
    from . import tasks

    getattr(tasks, task_name).delay(*args)


def render_commitment_letter(cultivation_id: int) -> bool:
    """Render the signed commitment letter to PDF and store it. Idempotent: a stored PDF is never re-rendered."""
    from portal.documents import render_pdf

    cultivation = Cultivation.objects.select_related("province", "institution").get(pk=cultivation_id)
    if cultivation.commitment_pdf or not cultivation.is_signed:
        return False
    pdf = render_pdf("documents/commitment_letter.html", {"cultivation": cultivation})
    with transaction.atomic():
        locked = Cultivation.objects.select_for_update(of=("self",)).get(pk=cultivation_id)
        if locked.commitment_pdf:
            return False
        locked.commitment_pdf.save(f"commitment-{locked.pk}.pdf", ContentFile(pdf), save=False)
        locked.save(update_fields=["commitment_pdf"])
        record_event(actor=None, action="commitment_rendered", obj=locked, province=cultivation.province,
                     changes={"commitment_pdf": {"before": "", "after": locked.commitment_pdf.name}})
    return True


# --- tasks: question banks and exam-affairs training ---

def _lock_task(task: CultivationTask) -> tuple[Cultivation, CultivationTask]:
    """Lock the cultivation, then the task (always in this order), and refuse a task that moved meanwhile."""
    cultivation = _lock_cultivation(task.occupation.cultivation)
    locked = CultivationTask.objects.select_for_update(of=("self",)).select_related("occupation").get(pk=task.pk)
    if locked.state != task.state:
        raise ConflictError(
            _("该任务刚刚已被处理（当前状态：%(state)s），请刷新页面查看。") % {"state": locked.get_state_display()}
        )
    return cultivation, locked


def _require_signed(cultivation: Cultivation) -> None:
    if not cultivation.is_signed:
        raise DomainError(_("请先签署培育机构工作承诺书，再办理培育任务。"), code="commitment_not_signed")


def submit_question_bank(
    task: CultivationTask, *, acting_user: User, items: UploadedFile, documents: Sequence[UploadedFile] = (),
    note: str = "",
) -> QuestionBankRound:
    """The organization submits its question bank for one occupation (试题与开发文档) for the province's review."""
    cultivation = task.occupation.cultivation
    _require_institution_member(acting_user, cultivation.institution)
    if task.kind != TaskKind.QUESTION_BANK:
        raise DomainError(_("该任务不是试题资源开发任务。"), code="task_kind")
    checked = [(QuestionBankFileKind.ITEMS, items, check_upload(items))]
    checked += [(QuestionBankFileKind.DOCUMENTS, f, check_upload(f)) for f in documents]
    with transaction.atomic():
        locked_cultivation, locked = _lock_task(task)
        _require_active(locked_cultivation)
        _require_signed(locked_cultivation)
        if not can_proceed(locked.submit):
            raise InvalidTransition(
                _("试题当前状态为“%(state)s”，不能提交。") % {"state": locked.get_state_display()}
            )
        from_state = locked.state
        round_ = QuestionBankRound.objects.create(
            task=locked, number=locked.rounds.count() + 1, note=note.strip(), submitted_by=acting_user
        )
        for kind, upload, check in checked:
            stored = QuestionBankFile(
                round=round_, kind=kind, original_name=(upload.name or "file")[:200], content_type=check.content_type,
                size=check.size, sha256=check.sha256,
            )
            stored.file.save("upload.bin", upload, save=False)
            stored.save()
        locked.submit()
        locked.save(update_fields=["state"])
        record_event(
            actor=acting_user, action="question_bank_submitted", obj=locked, province=locked_cultivation.province,
            from_state=from_state, to_state=locked.state, reason=note.strip(),
            changes={"round": {"before": round_.number - 1, "after": round_.number},
                     "files": {"before": None, "after": [f"{u.name} {c.sha256[:12]}" for _, u, c in checked]}},
        )
    notify(
        users_with_role(locked_cultivation.province, Role.PROVINCIAL_OFFICER),
        title=_("试题资源待评审：%(name)s · %(occupation)s") % {
            "name": locked_cultivation.institution.name, "occupation": locked.occupation},
        body=_("第%(n)d轮提交。") % {"n": round_.number},
        link=_cultivation_link(locked_cultivation), province=locked_cultivation.province,
    )
    return round_


def review_question_bank(
    task: CultivationTask, *, acting_user: User, accept: bool, reasons: str = ""
) -> QuestionBankRound:
    """The province accepts a question bank, or returns it with reasons (any number of rounds)."""
    cultivation = task.occupation.cultivation
    _require_provincial_officer(acting_user, cultivation.province)
    reasons = reasons.strip()
    if not accept and not reasons:
        raise DomainError(_("退回修改必须写明理由。"), code="reason_required")
    with transaction.atomic():
        locked_cultivation, locked = _lock_task(task)
        _require_active(locked_cultivation)
        if locked.kind != TaskKind.QUESTION_BANK or locked.state != TaskState.SUBMITTED:
            raise InvalidTransition(
                _("试题当前状态为“%(state)s”，不能评审。") % {"state": locked.get_state_display()}
            )
        round_ = locked.rounds.select_for_update(of=("self",)).order_by("-number")[0]
        from_state = locked.state
        if accept:
            locked.accept(acting_user)
        else:
            locked.return_for_revision()
        locked.save()
        round_.decision = ReviewDecision.ACCEPTED if accept else ReviewDecision.RETURNED
        round_.reasons = reasons
        round_.reviewed_by = acting_user
        round_.reviewed_at = timezone.now()
        round_.save(update_fields=["decision", "reasons", "reviewed_by", "reviewed_at"])
        record_event(
            actor=acting_user, action="question_bank_accepted" if accept else "question_bank_returned", obj=locked,
            province=locked_cultivation.province, from_state=from_state, to_state=locked.state, reason=reasons,
            changes={"state": {"before": from_state, "after": locked.state},
                     f"round {round_.number}": {"before": "", "after": round_.decision}},
        )
        if accept:
            _accept_occupation_if_done(locked.occupation, locked_cultivation, actor=acting_user)
    title = _("试题资源已通过评审：%(occupation)s") if accept else _("试题资源被退回修改：%(occupation)s")
    notify(_institution_members(locked_cultivation.institution), title=title % {"occupation": locked.occupation},
           body=reasons, link=_cultivation_link(locked_cultivation), province=locked_cultivation.province)
    return round_


def _may_record_training(user: User, cultivation: Cultivation) -> None:
    memberships = _memberships(user, cultivation.province)
    if memberships.filter(role=Role.PROVINCIAL_OFFICER).exists():
        return
    if memberships.filter(role=Role.CITY_OFFICER, city=cultivation.city).exists():
        return
    raise NotPermitted(_("只有培育机构所在地市的经办人员或省级经办人员可以登记考务培训。"))


def record_training_attendance(
    task: CultivationTask, *, acting_user: User, attended_on: dt.date, note: str = ""
) -> CultivationTask:
    """The city or province records that the organization attended the exam-affairs training for an occupation."""
    cultivation = task.occupation.cultivation
    _may_record_training(acting_user, cultivation)
    if attended_on > timezone.localdate():
        raise DomainError(_("参训日期不能晚于今天。"), code="attended_on_future")
    with transaction.atomic():
        locked_cultivation, locked = _lock_task(task)
        _require_active(locked_cultivation)
        _require_signed(locked_cultivation)
        if attended_on < locked_cultivation.started_on:
            raise DomainError(_("参训日期不能早于培育辅导期开始日期%(start)s。") % {
                "start": locked_cultivation.started_on.isoformat()}, code="attended_on_before_start")
        if locked.kind != TaskKind.EXAM_TRAINING or not can_proceed(locked.record_attendance):
            raise InvalidTransition(
                _("考务培训当前状态为“%(state)s”，不能登记。") % {"state": locked.get_state_display()}
            )
        from_state = locked.state
        locked.record_attendance(acting_user, attended_on, note.strip())
        locked.save()
        record_event(
            actor=acting_user, action="training_attendance_recorded", obj=locked,
            province=locked_cultivation.province, from_state=from_state, to_state=locked.state, reason=note.strip(),
            changes={"attended_on": {"before": None, "after": attended_on}},
        )
        _accept_occupation_if_done(locked.occupation, locked_cultivation, actor=acting_user)
    notify(_institution_members(locked_cultivation.institution),
           title=_("已登记考务培训：%(occupation)s") % {"occupation": locked.occupation},
           link=_cultivation_link(locked_cultivation), province=locked_cultivation.province, email=False)
    return locked


def _accept_occupation_if_done(item: CultivationOccupation, cultivation: Cultivation, *, actor: User) -> bool:
    """An occupation whose tasks are all accepted is accepted (inside the caller's transaction)."""
    locked = CultivationOccupation.objects.select_for_update(of=("self",)).get(pk=item.pk)
    if locked.state != CO.IN_PROGRESS or locked.tasks.exclude(state=TaskState.ACCEPTED).exists():
        return False
    locked.accept()
    locked.save(update_fields=["state", "accepted_at"])
    record_event(
        actor=actor, action="cultivation_occupation_accepted", obj=cultivation, province=cultivation.province,
        from_state=CO.IN_PROGRESS, to_state=locked.state,
        changes={str(locked): {"before": CO.IN_PROGRESS, "after": locked.state}},
    )
    notify(users_with_role(cultivation.province, Role.PROVINCIAL_OFFICER),
           title=_("职业已通过验收，可作出备案决定：%(name)s · %(occupation)s") % {
               "name": cultivation.institution.name, "occupation": locked},
           link=_cultivation_link(cultivation), province=cultivation.province)
    return True


# --- filing ---

def _letter_kind(province: Province) -> str:
    pack = selectors.pack_for(province)
    return LetterKind.RECEIPT if pack.settings.assigns_institution_code else LetterKind.LETTER


def _issue_letter(
    filing: Filing, lines: Sequence[ScopeLine], *, is_addition: bool, filing_city: City | None, number: str = ""
) -> FilingLetter:
    kind = _letter_kind(filing.province)
    today = timezone.localdate()
    letter = FilingLetter.objects.create(
        province=filing.province, filing=filing, kind=kind,
        number=number or numbering.next_letter_number(filing.province, kind, today.year), issued_on=today,
        issuing_body=issuing_body(filing.province, filing_city if kind == LetterKind.RECEIPT else None),
        is_addition=is_addition, scope=[line.as_dict() for line in lines],
    )
    FilingOccupation.objects.bulk_create(
        FilingOccupation(filing=filing, occupation=line.occupation, work_type=line.work_type,
                         levels=sorted({int(x) for x in line.levels}, reverse=True), added_on=today,
                         valid_until=filing.valid_until, letter=letter)
        for line in lines
    )
    transaction.on_commit(lambda: _queue("render_filing_letter", letter.pk))
    return letter


def _create_filing(
    *, application: Application, lines: Sequence[ScopeLine], actor: User | None, published: bool,
) -> Filing:
    """A new filing with its numbers and first letter (inside the caller's transaction)."""
    province, institution = application.province, application.institution
    if Filing.objects.select_for_update(of=("self",)).filter(institution=institution).exclude(
            status=FilingStatus.TERMINATED).exists():
        raise DomainError(_("%(name)s已有有效备案，新增职业请通过“申请新增职业”办理。") % {"name": institution.name},
                          code="already_filed")
    pack = selectors.pack_for(province)
    today = timezone.localdate()
    filing_city = application.city if application.route == Route.CITY else None
    now = timezone.now()
    number = numbering.next_letter_number(province, _letter_kind(province), today.year)
    filing = Filing.objects.create(
        province=province, institution=institution, city=application.city, application=application,
        filing_number=number, filed_on=today, valid_from=today, valid_until=filing_validity(today, pack.settings.filing_validity_years),
        organization_sequence=numbering.next_organization_sequence(province),
        institution_code=(numbering.next_institution_code(province, filing_city)
                          if pack.settings.assigns_institution_code else ""),
        # Filed by the province: published at once. Shandong: a city reports its list first, then the province
        # publishes (002 三(二)4); a filing made by the province itself is reported already.
        reported_at=now if filing_city is None or not pack.settings.assigns_institution_code else None,
        published_at=now if published else None,
    )
    letter = _issue_letter(filing, lines, is_addition=False, filing_city=filing_city, number=number)
    record_event(
        actor=actor, action="filing_created", obj=filing, province=province, to_state=filing.status,
        changes={name: {"before": None, "after": getattr(filing, name)} for name in (
            "filing_number", "filed_on", "valid_from", "valid_until", "organization_sequence", "institution_code",
            "city", "published_at")} | {"scope": {"before": None, "after": letter.scope}},
    )
    return filing


def _notify_filed(filing: Filing, letter_kind: str, lines: Sequence[ScopeLine]) -> None:
    scope = "；".join(f"{line.as_dict()['occupation']}（{line.as_dict()['level_labels']}）" for line in lines)
    body = _("备案编号%(number)s，有效期至%(until)s。备案职业：%(scope)s") % {
        "number": filing.filing_number, "until": filing.valid_until.isoformat(), "scope": scope}
    if filing.institution_code:
        body += _("；机构代码%(code)s") % {"code": filing.institution_code}
    notify(_institution_members(filing.institution),
           title=_("已备案，可下载%(kind)s") % {"kind": LetterKind(letter_kind).label},
           body=body, link=_filing_link(filing), province=filing.province)
    notify(users_with_role(filing.province, Role.CITY_OFFICER, city=filing.city),
           title=_("辖区机构已备案：%(name)s") % {"name": filing.institution.name}, body=body,
           link=_filing_link(filing), province=filing.province, email=False)


def file_application(application: Application, *, acting_user: User | None = None) -> Filing:
    """File an application whose publicity ended (packs without cultivation): all its occupations, one document.

    Shandong assigns the institution code and issues a receipt (回执); the others issue a filing letter.
    """
    _require_officer_or_system(acting_user, application.province)
    pack = selectors.pack_for(application.province)
    if pack.settings.has_cultivation:
        raise DomainError(_("本省须经培育辅导期验收后备案。"), code="cultivation_required")
    created: dict[str, Any] = {}

    def do(locked: Application) -> None:
        lines = [ScopeLine(o.occupation, o.work_type, o.levels)
                 for o in locked.occupations.select_related("occupation", "work_type")]
        if not lines:
            raise DomainError(_("申请没有申报职业，不能备案。"), code="no_occupations")
        locked.file()
        created["filing"] = _create_filing(application=locked, lines=lines, actor=acting_user,
                                           published=not pack.settings.assigns_institution_code)
        created["lines"] = lines

    _transition(application, acting_user=acting_user, action="application_filed", do=do,  # type: ignore[arg-type]
                allowed=lambda a: a.file)
    filing: Filing = created["filing"]
    _notify_filed(filing, _letter_kind(filing.province), created["lines"])
    return filing


def _add_to_filing(filing: Filing, lines: Sequence[ScopeLine], *, actor: User | None, reason: str) -> FilingLetter:
    """Add occupations to a live filing: they expire with it (001 二(二)). Inside the caller's transaction."""
    locked = Filing.objects.select_for_update(of=("self",)).select_related("province", "institution", "city").get(pk=filing.pk)
    if locked.status != FilingStatus.ACTIVE:
        raise InvalidTransition(
            _("备案当前状态为“%(state)s”，不能纳入新的职业。") % {"state": locked.get_status_display()},
            code="filing_not_active",
        )
    existing = {(o.occupation_id, o.work_type_id) for o in locked.occupations.all()}
    duplicates = [line for line in lines if (line.occupation.pk, line.work_type.pk if line.work_type else None) in existing]
    if duplicates:
        raise DomainError(_("以下职业已在备案范围内：%(list)s") % {
            "list": "、".join(line.occupation.name for line in duplicates)}, code="occupation_already_filed")
    letter = _issue_letter(locked, lines, is_addition=True, filing_city=None)
    record_event(
        actor=actor, action="filing_scope_added", obj=locked, province=locked.province, reason=reason,
        changes={"scope": {"before": None, "after": letter.scope}, "letter": {"before": None, "after": letter.number}},
    )
    return letter


def file_cultivation(
    cultivation: Cultivation, *, acting_user: User, occupation_ids: Sequence[int] | None = None, reason: str = ""
) -> Filing:
    """The province files the accepted occupations of a cultivation ("成熟一批公布一批").

    The first decision files the organization (the application becomes filed and a filing letter is issued); a later
    one, or one for an addition, adds the occupations to the filing with its original expiry date. The cultivation
    goes on for what is still in progress until its last day.
    """
    _require_provincial_officer(acting_user, cultivation.province)
    created: dict[str, Any] = {}
    with transaction.atomic():
        locked = _lock_cultivation(cultivation)
        if locked.state not in (CultivationState.ACTIVE, CultivationState.ENDED):
            raise InvalidTransition(
                _("培育辅导当前状态为“%(state)s”，不能作出备案决定。") % {"state": locked.get_state_display()}
            )
        accepted = list(locked.occupations.select_for_update(of=("self",)).filter(state=CO.ACCEPTED)
                        .select_related("occupation", "work_type"))
        if occupation_ids is not None:
            wanted = {int(i) for i in occupation_ids}
            unknown = wanted - {o.pk for o in accepted}
            if unknown:
                raise DomainError(_("只能对已通过验收的职业作出备案决定。"), code="occupation_not_accepted")
            accepted = [o for o in accepted if o.pk in wanted]
        if not accepted:
            raise DomainError(_("没有已通过验收、待备案的职业。"), code="nothing_to_file")
        lines = [ScopeLine(o.occupation, o.work_type, o.levels) for o in accepted]
        if locked.filing is None:
            application = locked.application
            if application is None:
                raise DomainError(_("该培育辅导没有对应的备案申请。"), code="cultivation_without_application")
            filed_app = Application.objects.select_for_update(of=("self",)).select_related("province", "institution", "city").get(
                pk=application.pk)
            if not can_proceed(filed_app.file):
                raise InvalidTransition(_("申请当前状态为“%(state)s”，不能备案。") % {
                    "state": filed_app.get_state_display()})
            from_state = filed_app.state
            filed_app.file()
            filed_app.save()
            record_event(actor=acting_user, action="application_filed", obj=filed_app, province=filed_app.province,
                         from_state=from_state, to_state=filed_app.state, reason=reason,
                         changes={"state": {"before": from_state, "after": filed_app.state}})
            filing = _create_filing(application=filed_app, lines=lines, actor=acting_user, published=True)
            locked.filing = filing
            locked.save(update_fields=["filing"])
        else:
            filing = locked.filing
            _add_to_filing(filing, lines, actor=acting_user, reason=reason)
            filing.refresh_from_db()
        if locked.addition_id is not None:
            addition = OccupationAddition.objects.select_for_update(of=("self",)).get(pk=locked.addition_id)
            if can_proceed(addition.add):
                addition.add()
                addition.save()
                record_event(actor=acting_user, action="occupation_addition_added", obj=addition,
                             province=locked.province, from_state=AdditionState.CULTIVATING, to_state=addition.state)
        for item in accepted:
            item.file()
            item.save(update_fields=["state", "closed_at"])
        record_event(
            actor=acting_user, action="cultivation_occupations_filed", obj=locked, province=locked.province,
            reason=reason, changes={str(o): {"before": CO.ACCEPTED, "after": CO.FILED} for o in accepted},
        )
        _close_if_settled(locked, actor=acting_user)
        created.update(filing=filing, lines=lines)
    _notify_filed(created["filing"], _letter_kind(cultivation.province), created["lines"])
    return created["filing"]


def _close_if_settled(cultivation: Cultivation, *, actor: User | None) -> None:
    """Nothing left in progress or awaiting a decision, and something filed: the cultivation is complete."""
    states = set(cultivation.occupations.values_list("state", flat=True))
    if states & {CO.IN_PROGRESS, CO.ACCEPTED} or CO.FILED not in states:
        return
    from_state = cultivation.state
    cultivation.complete()
    cultivation.save(update_fields=["state", "closed_at"])
    record_event(actor=actor, action="cultivation_completed", obj=cultivation, province=cultivation.province,
                 from_state=from_state, to_state=cultivation.state,
                 changes={"state": {"before": from_state, "after": cultivation.state}})


def render_filing_letter(letter_id: int) -> bool:
    """Render a filing letter (or receipt) to PDF and store it. Idempotent: a stored PDF is never re-rendered."""
    from portal.documents import render_pdf

    letter = FilingLetter.objects.select_related("province", "filing__institution", "filing__city").get(pk=letter_id)
    if letter.pdf:
        return False
    template = "documents/filing_receipt.html" if letter.kind == LetterKind.RECEIPT else "documents/filing_letter.html"
    pdf = render_pdf(template, {"letter": letter, "filing": letter.filing})
    with transaction.atomic():
        locked = FilingLetter.objects.select_for_update(of=("self",)).get(pk=letter_id)
        if locked.pdf:
            return False
        locked.pdf.save(f"{locked.kind}-{locked.pk}.pdf", ContentFile(pdf), save=False)
        locked.rendered_at = timezone.now()
        locked.save(update_fields=["pdf", "rendered_at"])
        record_event(actor=None, action="filing_letter_rendered", obj=letter.filing, province=letter.province,
                     changes={"letter": {"before": None, "after": f"{locked.number} {locked.pdf.name}"}})
    return True


# --- the day-180 sweep and the reminders before it ---

def end_cultivation(cultivation_id: int, *, today: dt.date, actor: User | None = None) -> str | None:
    """The last day of a cultivation has ended: eliminate what is unfinished (001 四(三), "含当天").

    Unfinished occupations are eliminated; a cultivation with accepted occupations awaits the province's filing
    decision (ended); one with nothing accepted or filed is eliminated, and so is its application. Re-checks the
    state under the lock, so a second run (or a cultivation that is not due) changes nothing and returns None.
    """
    with transaction.atomic():
        locked = (Cultivation.objects.select_for_update(of=("self",)).select_related("province", "institution", "application")
                  .filter(pk=cultivation_id).first())
        if locked is None or locked.state != CultivationState.ACTIVE or locked.ends_on >= today:
            return None
        items = list(locked.occupations.select_for_update(of=("self",)).select_related("occupation", "work_type"))
        for item in items:
            if item.state == CO.IN_PROGRESS:
                item.eliminate()
                item.save(update_fields=["state", "closed_at"])
                record_event(
                    actor=actor, action="cultivation_occupation_eliminated", obj=locked, province=locked.province,
                    from_state=CO.IN_PROGRESS, to_state=CO.ELIMINATED, reason=_("培育期终止（含当天）未完成相关任务"),
                    changes={str(item): {"before": CO.IN_PROGRESS, "after": CO.ELIMINATED}},
                )
        states = {item.state for item in items}
        from_state = locked.state
        if CO.ACCEPTED in states:
            locked.end()
        elif CO.FILED in states:
            locked.complete()
        else:
            locked.eliminate()
        locked.save(update_fields=["state", "closed_at"])
        record_event(actor=actor, action=f"cultivation_{locked.state}", obj=locked, province=locked.province,
                     from_state=from_state, to_state=locked.state, reason=_("培育期终止"),
                     changes={"state": {"before": from_state, "after": locked.state}})
        if locked.state == CultivationState.ELIMINATED:
            _eliminate_source(locked, actor=actor)
    eliminated = [str(i) for i in items if i.state == CO.ELIMINATED]
    if locked.state == CultivationState.ELIMINATED:
        title = _("培育期已终止，未完成培育任务，已自然淘汰")
    elif eliminated:
        title = _("培育期已终止，未完成的职业已自然淘汰：%(list)s") % {"list": "、".join(eliminated)}
    else:
        title = _("培育期已终止")
    notify(_institution_members(locked.institution), title=title, link=_cultivation_link(locked),
           province=locked.province)
    return str(locked.state)


def _eliminate_source(cultivation: Cultivation, *, actor: User | None) -> None:
    if cultivation.application_id is not None:
        application = Application.objects.select_for_update(of=("self",)).get(pk=cultivation.application_id)
        if can_proceed(application.eliminate):
            from_state = application.state
            application.eliminate()
            application.save()
            record_event(actor=actor, action="application_eliminated", obj=application, province=cultivation.province,
                         from_state=from_state, to_state=application.state, reason=_("培育期终止未通过验收"),
                         changes={"state": {"before": from_state, "after": application.state}})
    if cultivation.addition_id is not None:
        addition = OccupationAddition.objects.select_for_update(of=("self",)).get(pk=cultivation.addition_id)
        if can_proceed(addition.eliminate):
            from_state = addition.state
            addition.eliminate()
            addition.save()
            record_event(actor=actor, action="occupation_addition_eliminated", obj=addition,
                         province=cultivation.province, from_state=from_state, to_state=addition.state,
                         changes={"state": {"before": from_state, "after": addition.state}})


def remind_cultivation(cultivation_id: int, *, days_before: int, today: dt.date) -> bool:
    """Send the reminder `days_before` the last day, once (the CultivationReminder row records it)."""
    with transaction.atomic():
        cultivation = (Cultivation.objects.select_for_update(of=("self",)).select_related("province", "institution")
                       .filter(pk=cultivation_id, state=CultivationState.ACTIVE).first())
        if cultivation is None or cultivation.ends_on <= today:
            return False
        try:
            with transaction.atomic():
                CultivationReminder.objects.create(cultivation=cultivation, days_before=days_before)
        except IntegrityError:
            return False
        notify(
            _institution_members(cultivation.institution),
            title=_("培育辅导期将于%(end)s结束，距最后一天还有%(n)d天") % {
                "n": (cultivation.ends_on - today).days, "end": cultivation.ends_on.isoformat()},
            body=_("未在培育期内完成试题资源开发和考务培训并通过验收的职业将自然淘汰。"),
            link=_cultivation_link(cultivation), province=cultivation.province,
        )
    return True


# --- adding occupations to a filing (001 二(二)) ---

def _occupation_scope_problems(filing: Filing, lines: Sequence[ScopeLine]) -> list[str]:
    """The pack's occupation-scope rules (those that read only the occupations) on the filing's scope plus the new."""
    pack = selectors.pack_for(filing.province)
    current = [ScopeLine(o.occupation, o.work_type, o.levels)
               for o in filing.occupations.select_related("occupation", "work_type")]
    facts = ApplicationFacts(
        category=filing.institution.category, nature=filing.institution.nature, level=filing.institution.level,
        registered_province_code=filing.institution.credit_code[2:4],
        occupations=tuple(
            OccupationChoice(
                code=line.occupation.code, name=line.occupation.name,
                levels=tuple(sorted({int(x) for x in line.levels}, reverse=True)),
                is_skill_type=line.occupation.is_skill_type, has_national_standard=line.occupation.has_national_standard,
                has_evaluation_norm=line.occupation.has_evaluation_norm, is_access_type=line.occupation.is_access_type,
                work_type=line.work_type.name if line.work_type else "",
            )
            for line in [*current, *lines]
        ),
    )
    problems = []
    for rule in pack.rules_for(facts.category):
        if rule.reads == ("occupations",):
            verdict, reason = rule.check(facts)
            if verdict == Verdict.FAIL:
                problems.append(reason)
    not_allowed = sorted({x for line in lines for x in line.levels if int(x) not in pack.settings.allowed_levels})
    if not_allowed:
        problems.append(_("本省不受理以下等级：%(levels)s") % {
            "levels": "、".join(str(SkillLevel(x).label) for x in not_allowed)})
    return problems


def apply_to_add_occupations(
    filing: Filing, *, acting_user: User, lines: Sequence[ScopeLine], has_completed_question_bank: bool,
    operating_normally: bool, note: str = "",
) -> OccupationAddition:
    """An active filed organization that has completed a question bank and is operating applies to add occupations.

    Guangdong: the new occupations enter cultivation at once; elsewhere the province decides. An organization whose
    filing is not active cannot apply.
    """
    _require_institution_member(acting_user, filing.institution)
    if not lines:
        raise DomainError(_("请至少填写一个新增职业（工种）。"), code="no_occupations")
    if any(not line.levels or any(int(x) not in SkillLevel.values for x in line.levels) for line in lines):
        raise DomainError(_("请为每个新增职业选择有效的技能等级。"), code="levels_invalid")
    keys = [(line.occupation.pk, line.work_type.pk if line.work_type else None) for line in lines]
    if len(set(keys)) != len(keys):
        raise DomainError(_("新增职业有重复。"), code="occupation_duplicate")
    created: dict[str, Any] = {}
    with transaction.atomic():
        locked = Filing.objects.select_for_update(of=("self",)).select_related("province", "institution", "city").get(pk=filing.pk)
        if locked.status != FilingStatus.ACTIVE:
            raise InvalidTransition(
                _("本机构备案状态为“%(state)s”，不能申请新增职业（工种）；只有备案有效的机构可以申请。")
                % {"state": locked.get_status_display()},
                code="filing_not_active",
            )
        if not (has_completed_question_bank and operating_normally):
            raise DomainError(
                _("申请新增职业须已自主完成至少一个职业试题审核备案，并已正常开展职业技能等级认定工作。"),
                code="addition_conditions_not_met",
            )
        existing = {(o.occupation_id, o.work_type_id) for o in locked.occupations.all()}
        pending = {(o.occupation_id, o.work_type_id) for o in AdditionOccupation.objects.filter(
            addition__filing=locked, addition__state__in=[AdditionState.SUBMITTED, AdditionState.CULTIVATING])}
        clash = [line.occupation.name for line, key in zip(lines, keys, strict=True) if key in existing | pending]
        if clash:
            raise DomainError(_("以下职业已在备案范围内或正在申请中：%(list)s") % {"list": "、".join(clash)},
                              code="occupation_already_filed")
        problems = _occupation_scope_problems(locked, lines)
        if problems:
            raise DomainError(_("新增职业不符合本省职业范围：") + "；".join(problems), code="occupation_not_admitted")
        addition = OccupationAddition.objects.create(
            province=locked.province, filing=locked, has_completed_question_bank=True, operating_normally=True,
            note=note.strip(), submitted_by=acting_user,
        )
        AdditionOccupation.objects.bulk_create(
            AdditionOccupation(addition=addition, occupation=line.occupation, work_type=line.work_type,
                               levels=sorted({int(x) for x in line.levels}, reverse=True))
            for line in lines
        )
        record_event(actor=acting_user, action="occupation_addition_submitted", obj=addition,
                     province=locked.province, to_state=addition.state, reason=note.strip(),
                     changes={"occupations": {"before": None, "after": [line.as_dict() for line in lines]}})
        if selectors.pack_for(locked.province).settings.has_cultivation:
            addition.start_cultivation()
            addition.save()
            record_event(actor=acting_user, action="occupation_addition_cultivation_started", obj=addition,
                         province=locked.province, from_state=AdditionState.SUBMITTED, to_state=addition.state)
            created["cultivation"] = _open_cultivation(
                province=locked.province, institution=locked.institution, city=locked.city, lines=lines,
                actor=acting_user, addition=addition, filing=locked, reason=_("已备案机构申请新增职业"),
            )
    if "cultivation" in created:
        _notify_cultivation_started(created["cultivation"])
    else:
        notify(users_with_role(filing.province, Role.PROVINCIAL_OFFICER),
               title=_("新增职业申请待审核：%(name)s") % {"name": filing.institution.name},
               link=_filing_link(filing), province=filing.province)
    return addition


def decide_occupation_addition(
    addition: OccupationAddition, *, acting_user: User, approve: bool, reason: str = ""
) -> OccupationAddition:
    """The province approves an addition (packs without cultivation; the occupations join the filing) or refuses it."""
    _require_provincial_officer(acting_user, addition.province)
    reason = reason.strip()
    if not approve and not reason:
        raise DomainError(_("不予新增必须填写理由。"), code="reason_required")
    with transaction.atomic():
        locked = OccupationAddition.objects.select_for_update(of=("self",)).select_related("filing").get(pk=addition.pk)
        if locked.state != AdditionState.SUBMITTED:
            raise ConflictError(_("该申请当前状态为“%(state)s”，不能再作决定。") % {"state": locked.get_state_display()})
        from_state = locked.state
        if approve:
            lines = [ScopeLine(o.occupation, o.work_type, o.levels)
                     for o in locked.occupations.select_related("occupation", "work_type")]
            _add_to_filing(locked.filing, lines, actor=acting_user, reason=reason)
            locked.add()
        else:
            locked.refuse(reason)
        locked.save()
        record_event(actor=acting_user, action="occupation_addition_decided", obj=locked, province=locked.province,
                     from_state=from_state, to_state=locked.state, reason=reason,
                     changes={"state": {"before": from_state, "after": locked.state}})
    notify(_institution_members(locked.filing.institution),
           title=_("新增职业申请已获批准") if approve else _("新增职业申请不予批准"), body=reason,
           link=_filing_link(locked.filing), province=locked.province)
    return locked


# --- the catalog (评价机构目录): Shandong's cities report, the province publishes ---

def report_filings(city: City, *, acting_user: User) -> int:
    """A city reports its filed organizations (names, codes, work plans) to the province (002 三(二)4)."""
    if not _memberships(acting_user, city.province).filter(role=Role.CITY_OFFICER, city=city).exists():
        raise NotPermitted(_("只有本市经办人员可以报送本市评价机构名单。"))
    with transaction.atomic():
        filings = list(Filing.objects.select_for_update(of=("self",)).filter(city=city, reported_at__isnull=True)
                       .select_related("institution"))
        now = timezone.now()
        for filing in filings:
            filing.reported_at = now
            filing.save(update_fields=["reported_at", "updated_at"])
            record_event(actor=acting_user, action="filing_reported", obj=filing, province=city.province,
                         changes={"reported_at": {"before": None, "after": now}})
    if filings:
        notify(users_with_role(city.province, Role.PROVINCIAL_OFFICER),
               title=_("%(city)s报送评价机构名单%(n)d家，待公布") % {"city": city.name, "n": len(filings)},
               province=city.province, email=False)
    return len(filings)


def publish_filings(province: Province, *, acting_user: User, filing_ids: Sequence[int] | None = None) -> int:
    """The province publishes reported filings in the public catalog."""
    _require_provincial_officer(acting_user, province)
    with transaction.atomic():
        qs = Filing.objects.select_for_update(of=("self",)).filter(province=province, reported_at__isnull=False,
                                                        published_at__isnull=True)
        if filing_ids is not None:
            qs = qs.filter(pk__in=list(filing_ids))
        filings = list(qs)
        now = timezone.now()
        for filing in filings:
            filing.published_at = now
            filing.save(update_fields=["published_at", "updated_at"])
            record_event(actor=acting_user, action="filing_published", obj=filing, province=province,
                         changes={"published_at": {"before": None, "after": now}})
    return len(filings)


# --- the filing's status (the supervision app drives renewal and exit through these) ---

def _change_filing_status(
    filing: Filing, *, acting_user: User, action: str, move: Callable[[Filing], Any],
    do: Callable[[Filing], None], reason: str,
) -> Filing:
    _require_provincial_officer(acting_user, filing.province)
    if not reason.strip():
        raise DomainError(_("请填写理由。"), code="reason_required")
    try:
        with transaction.atomic():
            locked = Filing.objects.select_for_update(of=("self",)).select_related("province", "institution").get(pk=filing.pk)
            if locked.status != filing.status:
                raise ConflictError(_("该备案刚刚已被处理（当前状态：%(s)s），请刷新页面查看。") % {
                    "s": locked.get_status_display()})
            if not can_proceed(move(locked)):
                raise InvalidTransition(_("备案当前状态为“%(s)s”，不能执行该操作。") % {"s": locked.get_status_display()})
            from_state = locked.status
            before_kind = locked.exit_kind
            do(locked)
            locked.save()
            record_event(actor=acting_user, action=action, obj=locked, province=locked.province, from_state=from_state,
                         to_state=locked.status, reason=reason.strip(),
                         changes=diff({"status": from_state, "exit_kind": before_kind},
                                      {"status": locked.status, "exit_kind": locked.exit_kind}))
    except ConcurrentTransition as exc:
        raise ConflictError(_("该备案刚刚已被他人处理，请刷新页面查看。")) from exc
    filing.refresh_from_db()
    notify(_institution_members(locked.institution), title=_("备案状态变更为：%(s)s") % {"s": locked.get_status_display()},
           body=reason.strip(), link=_filing_link(locked), province=locked.province)
    return locked


def suspend_filing(filing: Filing, *, acting_user: User, reason: str) -> Filing:
    return _change_filing_status(filing, acting_user=acting_user, action="filing_suspended",
                                 move=lambda f: f.suspend, do=lambda f: f.suspend(), reason=reason)


def reinstate_filing(filing: Filing, *, acting_user: User, reason: str) -> Filing:
    return _change_filing_status(filing, acting_user=acting_user, action="filing_reinstated",
                                 move=lambda f: f.reinstate, do=lambda f: f.reinstate(), reason=reason)


def terminate_filing(filing: Filing, *, acting_user: User, kind: str, reason: str) -> Filing:
    if kind not in ExitKind.values:
        raise DomainError(_("未知的终止类型。"), code="exit_kind_unknown")
    return _change_filing_status(filing, acting_user=acting_user, action="filing_terminated",
                                 move=lambda f: f.terminate, do=lambda f: f.terminate(kind), reason=reason)

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
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from portal.audit import diff, record_event
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

from . import selectors
from .models import (
    Application,
    ApplicationOccupation,
    ApplicationState,
    Call,
    Correction,
    CorrectionItem,
    Evidence,
    Route,
    Submission,
)
from .policies import blocking
from .policies.base import Route as PackRoute
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
        before = {"facts": dict(locked.facts), "prefers_province_route": locked.prefers_province_route}
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
    """Lock the row, check the move, make it, save, audit. Raises InvalidTransition / ConflictError."""
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
            if before_save is not None:
                before_save(locked)
            from_state = locked.state
            do(locked)
            locked.save()
            record_event(
                actor=acting_user, action=action, obj=locked, province=locked.province, from_state=from_state,
                to_state=locked.state, reason=reason, changes={"state": {"before": from_state, "after": locked.state},
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
    _require_institution_member(acting_user, application.institution)
    call = application.call
    if not call.is_open:
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

"""Filing (备案): the filing with its numbers and letters, and its status (suspended, reinstated, terminated)."""

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from portal.audit import diff, record_event
from portal.errors import ConflictError, DomainError, InvalidTransition
from portal.models import (
    City,
    Province,
    Role,
    User,
)
from portal.notifications import notify
from portal.roles import require_role, users_with_role

from .. import numbering, selectors
from ..errors import Codes
from ..models import (
    AdditionState,
    Application,
    Cultivation,
    CultivationState,
    ExitKind,
    Filing,
    FilingLetter,
    FilingOccupation,
    FilingStatus,
    LetterKind,
    OccupationAddition,
    Route,
)
from ._common import (
    CO,
    S,
    ScopeLine,
    _filing_link,
    _institution_members,
    _lock_cultivation,
    _queue,
    _require_officer_or_system,
    _transition,
)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def filing_validity(start: dt.date, years: int) -> dt.date:
    """The last day of a filing valid `years` from `start` (start 2026-03-01, 3 years → 2029-02-28)."""
    return _add_years(start, years) - dt.timedelta(days=1)


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
                          code=Codes.ALREADY_FILED)
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
        raise DomainError(_("本省须经培育辅导期验收后备案。"), code=Codes.CULTIVATION_REQUIRED)
    created: dict[str, Any] = {}

    def do(locked: Application) -> None:
        lines = [ScopeLine(o.occupation, o.work_type, o.levels)
                 for o in locked.occupations.select_related("occupation", "work_type")]
        if not lines:
            raise DomainError(_("申请没有申报职业，不能备案。"), code=Codes.NO_OCCUPATIONS)
        locked.file()
        created["filing"] = _create_filing(application=locked, lines=lines, actor=acting_user,
                                           published=not pack.settings.assigns_institution_code)
        created["lines"] = lines

    _transition(application, acting_user=acting_user, action="application_filed", do=do,
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
            code=Codes.FILING_NOT_ACTIVE,
        )
    existing = {(o.occupation_id, o.work_type_id) for o in locked.occupations.all()}
    duplicates = [line for line in lines if (line.occupation.pk, line.work_type.pk if line.work_type else None) in existing]
    if duplicates:
        raise DomainError(_("以下职业已在备案范围内：%(list)s") % {
            "list": "、".join(line.occupation.name for line in duplicates)}, code=Codes.OCCUPATION_ALREADY_FILED)
    letter = _issue_letter(locked, lines, is_addition=True, filing_city=None)
    record_event(
        actor=actor, action="filing_scope_added", obj=locked, province=locked.province, reason=reason,
        changes={"scope": {"before": None, "after": letter.scope}, "letter": {"before": None, "after": letter.number}},
    )
    return letter


def _file_cultivated_application(
    cultivation: Cultivation, lines: Sequence[ScopeLine], *, actor: User, reason: str
) -> Filing:
    """The first filing decision of a cultivation: its application is filed (inside the caller's transaction)."""
    application = cultivation.application
    if application is None:
        raise DomainError(_("该培育辅导没有对应的备案申请。"), code=Codes.CULTIVATION_WITHOUT_APPLICATION)
    filed_app = Application.objects.select_for_update(of=("self",)).select_related(
        "province", "institution", "city").get(pk=application.pk)
    if not can_proceed(filed_app.file):
        raise InvalidTransition(_("申请当前状态为“%(state)s”，不能备案。") % {
            "state": filed_app.get_state_display()})
    from_state = filed_app.state
    filed_app.file()
    filed_app.save()
    record_event(actor=actor, action="application_filed", obj=filed_app, province=filed_app.province,
                 from_state=from_state, to_state=filed_app.state, reason=reason,
                 changes={"state": {"before": from_state, "after": filed_app.state}})
    filing = _create_filing(application=filed_app, lines=lines, actor=actor, published=True)
    cultivation.filing = filing
    cultivation.save(update_fields=["filing"])
    return filing


def _file_extending_application(cultivation: Cultivation, *, actor: User, reason: str) -> None:
    """The application that carried an addition through selection is filed too, its occupations joining the existing
    filing (no second filing); one filed by an earlier decision stays as it is. Inside the caller's transaction."""
    if cultivation.addition_id is None:
        return
    application = Application.objects.select_for_update(of=("self",)).filter(addition__pk=cultivation.addition_id).first()
    if application is None or application.state != S.CULTIVATING:
        return
    application.file()
    application.save()
    record_event(actor=actor, action="application_filed", obj=application, province=cultivation.province,
                 from_state=S.CULTIVATING, to_state=application.state, reason=reason,
                 changes={"state": {"before": S.CULTIVATING, "after": application.state}})


def _mark_addition_added(cultivation: Cultivation, *, actor: User) -> None:
    """The addition whose cultivation is being filed has joined the filing (inside the caller's transaction)."""
    addition = OccupationAddition.objects.select_for_update(of=("self",)).get(pk=cultivation.addition_id)
    if can_proceed(addition.add):
        addition.add()
        addition.save()
        record_event(actor=actor, action="occupation_addition_added", obj=addition,
                     province=cultivation.province, from_state=AdditionState.CULTIVATING, to_state=addition.state)


def file_cultivation(
    cultivation: Cultivation, *, acting_user: User, occupation_ids: Sequence[int] | None = None, reason: str = ""
) -> Filing:
    """The province files the accepted occupations of a cultivation ("成熟一批公布一批").

    The first decision files the organization (the application becomes filed and a filing letter is issued); a later
    one, or one for an addition, adds the occupations to the filing with its original expiry date. The cultivation
    goes on for what is still in progress until its last day.
    """
    require_role(acting_user, cultivation.province, Role.PROVINCIAL_OFFICER, message=_("只有省级经办人员可以办理此事项。"))
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
                raise DomainError(_("只能对已通过验收的职业作出备案决定。"), code=Codes.OCCUPATION_NOT_ACCEPTED)
            accepted = [o for o in accepted if o.pk in wanted]
        if not accepted:
            raise DomainError(_("没有已通过验收、待备案的职业。"), code=Codes.NOTHING_TO_FILE)
        lines = [ScopeLine(o.occupation, o.work_type, o.levels) for o in accepted]
        if locked.filing is None:
            filing = _file_cultivated_application(locked, lines, actor=acting_user, reason=reason)
        else:
            filing = locked.filing
            _add_to_filing(filing, lines, actor=acting_user, reason=reason)
            filing.refresh_from_db()
            _file_extending_application(locked, actor=acting_user, reason=reason)
        if locked.addition_id is not None:
            _mark_addition_added(locked, actor=acting_user)
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


def _change_filing_status(
    filing: Filing, *, acting_user: User | None, action: str, move: Callable[[Filing], Any],
    do: Callable[[Filing], None], reason: str,
) -> Filing:
    """One status move of a filing; `acting_user` None is the portal itself (a sweep at a date the pack sets)."""
    if acting_user is not None:
        require_role(acting_user, filing.province, Role.PROVINCIAL_OFFICER, message=_("只有省级经办人员可以办理此事项。"))
    if not reason.strip():
        raise DomainError(_("请填写理由。"), code=Codes.REASON_REQUIRED)
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
            before_dates = {k: getattr(locked, k) for k in EXIT_DATES}
            do(locked)
            locked.save()
            record_event(actor=acting_user, action=action, obj=locked, province=locked.province, from_state=from_state,
                         to_state=locked.status, reason=reason.strip(),
                         changes=diff({"status": from_state, "exit_kind": before_kind, **before_dates},
                                      {"status": locked.status, "exit_kind": locked.exit_kind,
                                       **{k: getattr(locked, k) for k in EXIT_DATES}}))
    except ConcurrentTransition as exc:
        raise ConflictError(_("该备案刚刚已被他人处理，请刷新页面查看。")) from exc
    filing.refresh_from_db()
    notify(_institution_members(locked.institution), title=_("备案状态变更为：%(s)s") % {"s": locked.get_status_display()},
           body=reason.strip(), link=_filing_link(locked), province=locked.province)
    return locked


EXIT_DATES = ("exit_started_on", "terminated_on")


def suspend_filing(filing: Filing, *, acting_user: User, reason: str) -> Filing:
    return _change_filing_status(filing, acting_user=acting_user, action="filing_suspended",
                                 move=lambda f: f.suspend, do=lambda f: f.suspend(), reason=reason)


def reinstate_filing(filing: Filing, *, acting_user: User | None, reason: str) -> Filing:
    return _change_filing_status(filing, acting_user=acting_user, action="filing_reinstated",
                                 move=lambda f: f.reinstate, do=lambda f: f.reinstate(), reason=reason)


def terminate_filing(filing: Filing, *, acting_user: User, kind: str, reason: str) -> Filing:
    if kind not in ExitKind.values:
        raise DomainError(_("未知的终止类型。"), code=Codes.EXIT_KIND_UNKNOWN)
    return _change_filing_status(filing, acting_user=acting_user, action="filing_terminated",
                                 move=lambda f: f.terminate, do=lambda f: f.terminate(kind), reason=reason)


def start_filing_exit(filing: Filing, *, acting_user: User | None, kind: str, reason: str,
                      on: dt.date | None = None) -> Filing:
    """The filing enters its exit (退出中) on `on` (today by default): wrap-up follows, then terminate_filing."""
    if kind not in ExitKind.values:
        raise DomainError(_("未知的终止类型。"), code=Codes.EXIT_KIND_UNKNOWN)
    day = on or timezone.localdate()
    return _change_filing_status(filing, acting_user=acting_user, action="filing_exit_started",
                                 move=lambda f: f.start_exit, do=lambda f: f.start_exit(kind, day), reason=reason)


def mark_exit_requested(filing: Filing, *, on: dt.date | None) -> None:
    """From a voluntary exit request on, the filing takes no new exam plan (None: the request was withdrawn).
    Called inside the caller's transaction, which records the request and its audit event."""
    Filing.objects.filter(pk=filing.pk).update(exit_requested_on=on, updated_at=timezone.now())
    filing.exit_requested_on = on

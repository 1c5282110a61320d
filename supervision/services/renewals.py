"""Renewals (续期): the organization applies in the renewal window with its materials and the counted certificates;
provincial officers return it for correction, approve it (the filing's validity moves on, a renewal letter is
issued) or refuse it with reasons. One audit event per transition."""

import datetime as dt
from collections.abc import Callable, Mapping

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from filings import selectors as filing_selectors, services as filing_services
from filings.models import Filing
from portal.audit import record_event
from portal.errors import DomainError, InvalidTransition
from portal.models import Role, User
from portal.notifications import notify
from portal.roles import require_role, users_with_role
from portal.uploads import check_upload

from ..errors import Codes
from ..models import Renewal, RenewalDocument, RenewalState
from ..selectors.renewals import (
    filing_is_live,
    renewal_check,
    renewal_window,
    validity_period_start,
)

__all__ = [
    "approve_renewal",
    "refuse_renewal",
    "render_renewal_letter",
    "return_renewal",
    "start_renewal",
    "submit_renewal",
    "update_renewal",
    "upload_renewal_document",
]


def renewal_link(renewal: Renewal) -> str:
    return reverse("supervision:renewal_detail", kwargs={"province": renewal.province.slug, "pk": renewal.pk})


def _require_member(user: User, filing: Filing) -> None:
    require_role(user, filing.province, Role.INSTITUTION_MEMBER, institution=filing.institution,
                 message=_("只有本机构的用户可以办理续期申请。"))


def _require_officer(user: User, renewal: Renewal) -> None:
    require_role(user, renewal.province, Role.PROVINCIAL_OFFICER, message=_("只有省级经办人员可以审核续期申请。"))


def _lock(renewal: Renewal) -> Renewal:
    return Renewal.objects.select_for_update(of=("self",)).select_related(
        "province", "filing", "institution"
    ).get(pk=renewal.pk)


def _move(renewal: Renewal, *, actor: User, action: str, transition: str, args: tuple[str, ...] = (),
          reason: str = "", changes: Mapping[str, object] | None = None) -> Renewal:
    """Make one transition of a locked renewal: check it, make it, save, audit it."""
    before = renewal.state
    method: Callable[..., None] = getattr(renewal, transition)
    if not can_proceed(method):
        raise InvalidTransition(_("续期申请当前状态（%(state)s）不能办理此事项。") % {"state": renewal.get_state_display()})
    method(*args)
    renewal.save()
    record_event(actor=actor, action=action, obj=renewal, province=renewal.province, from_state=before,
                 to_state=renewal.state, reason=reason, changes=dict(changes or {}))
    return renewal


def start_renewal(filing: Filing, *, acting_user: User, today: dt.date | None = None) -> Renewal:
    """Open the renewal of the filing's current validity period (a draft); only inside the renewal window."""
    _require_member(acting_user, filing)
    window = renewal_window(filing, today=today)
    if not window.offered:
        raise DomainError(_("本省政策未设续期，请按备案有效期重新申报。"), code=Codes.RENEWAL_NOT_OFFERED)
    if not window.is_open or not filing_is_live(filing):
        raise DomainError(
            _("续期申请期为%(start)s至%(end)s，当前不能申请续期。")
            % {"start": window.opens_on.isoformat(), "end": window.valid_until.isoformat()},
            code=Codes.RENEWAL_NOT_OPEN, opens_on=window.opens_on.isoformat(),
        )
    with transaction.atomic():
        Filing.objects.select_for_update().get(pk=filing.pk)
        if Renewal.objects.filter(filing=filing, period_end=filing.valid_until).exists():
            raise DomainError(_("本有效期已提出续期申请。"), code=Codes.RENEWAL_EXISTS)
        renewal = Renewal.objects.create(
            province=filing.province, filing=filing, institution=filing.institution,
            period_start=validity_period_start(filing), period_end=filing.valid_until, created_by=acting_user,
            occupations=list(filing.occupations.filter(valid_until=filing.valid_until).values_list("pk", flat=True)),
        )
        record_event(actor=acting_user, action="renewal_started", obj=renewal, province=renewal.province,
                     to_state=renewal.state)
    return renewal


def _clean_occupations(renewal: Renewal, occupations: list[int]) -> list[int]:
    allowed = set(renewal.filing.occupations.filter(valid_until=renewal.period_end).values_list("pk", flat=True))
    chosen = sorted({int(pk) for pk in occupations})
    if not chosen or not set(chosen) <= allowed:
        raise DomainError(_("请从本机构备案范围内选择至少一个申请续期的职业（工种）。"), code=Codes.RENEWAL_BLOCKED,
                          field="occupations")
    return chosen


def _clean_facts(renewal: Renewal, facts: Mapping[str, object]) -> dict[str, bool]:
    fields = filing_selectors.renewal_fields(renewal.province, renewal.institution.category)
    keys = {f.key for f in fields if f.kind == "boolean"}
    return {key: bool(value) for key, value in facts.items() if key in keys}


def update_renewal(renewal: Renewal, *, acting_user: User, facts: Mapping[str, object],
                   occupations: list[int]) -> Renewal:
    """Save the declarations and the occupations to renew of a draft or returned renewal."""
    _require_member(acting_user, renewal.filing)
    with transaction.atomic():
        locked = _lock(renewal)
        if not locked.is_editable:
            raise InvalidTransition(_("续期申请已提交，不能修改。"))
        before = {"facts": locked.facts, "occupations": locked.occupations}
        locked.facts = _clean_facts(locked, facts)
        locked.occupations = _clean_occupations(locked, occupations)
        locked.save(update_fields=["facts", "occupations", "updated_at"])
        record_event(actor=acting_user, action="renewal_updated", obj=locked, province=locked.province,
                     changes={"before": before, "after": {"facts": locked.facts, "occupations": locked.occupations}})
    return locked


def upload_renewal_document(renewal: Renewal, *, acting_user: User, checklist_key: str,
                            upload: UploadedFile) -> RenewalDocument:
    _require_member(acting_user, renewal.filing)
    items = filing_selectors.renewal_checklist(renewal.province, renewal.institution.category)
    if checklist_key not in {i.key for i in items}:
        raise DomainError(_("材料项不在续期材料清单中。"), code=Codes.RENEWAL_BLOCKED, field="checklist_key")
    checked = check_upload(upload)
    with transaction.atomic():
        locked = _lock(renewal)
        if not locked.is_editable:
            raise InvalidTransition(_("续期申请已提交，不能上传材料。"))
        document = RenewalDocument(
            renewal=locked, checklist_key=checklist_key, original_name=(upload.name or "file")[:200],
            content_type=checked.content_type, size=checked.size, sha256=checked.sha256, uploaded_by=acting_user,
        )
        document.file.save("upload.bin", upload, save=False)
        document.save()
        record_event(actor=acting_user, action="renewal_document_uploaded", obj=locked, province=locked.province,
                     changes={checklist_key: f"{document.original_name} {checked.sha256[:12]}"})
    return document


def _refuse_blocked(renewal: Renewal) -> dict[str, object]:
    """The pre-check at submission: refuse with every reason, or the snapshot the officer will review."""
    check = renewal_check(renewal)
    reasons = [r.reason for r in check.blocking] + [_("请上传%(item)s。") % {"item": m} for m in check.missing_documents]
    if not check.renewed_ids:
        reasons.append(_("没有达到续期条件的职业（工种）。"))
    if reasons:
        raise DomainError(_("尚不符合续期条件：") + "".join(reasons), code=Codes.RENEWAL_BLOCKED, reasons=reasons)
    return {
        "total": check.total,
        "occupations": {str(o.line.pk): o.count for o in check.occupations},
        "renewed": check.renewed_ids,
        "dropped": [o.line.pk for o in check.dropped],
        "results": [{"rule": r.rule_id, "verdict": str(r.verdict), "reason": r.reason} for r in check.results],
    }


def submit_renewal(renewal: Renewal, *, acting_user: User, today: dt.date | None = None) -> Renewal:
    """Submit (or resubmit after a return): the certificates are counted now and the pre-check must pass. A first
    submission must come by the last valid day; a corrected one may come later (it is under review)."""
    _require_member(acting_user, renewal.filing)
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = _lock(renewal)
        if locked.state == RenewalState.DRAFT and today > locked.period_end:
            raise DomainError(_("备案有效期已于%(end)s届满，不能再提交续期申请。") % {"end": locked.period_end.isoformat()},
                              code=Codes.RENEWAL_NOT_OPEN)
        snapshot = _refuse_blocked(locked)
        locked.counts = snapshot
        locked.precheck = snapshot["results"]
        _move(locked, actor=acting_user, action="renewal_submitted", transition="submit",
              changes={"counts": {"total": snapshot["total"], "renewed": snapshot["renewed"]}})
    officers = users_with_role(locked.province, Role.PROVINCIAL_OFFICER)
    notify(officers, title=_("%(org)s提交了续期申请") % {"org": locked.institution.name}, link=renewal_link(locked),
           province=locked.province)
    return locked


def _notify_member(renewal: Renewal, title: str, body: str = "") -> None:
    members = users_with_role(renewal.province, Role.INSTITUTION_MEMBER, institution=renewal.institution)
    notify(members, title=title, body=body, link=renewal_link(renewal), province=renewal.province)


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise DomainError(_("请填写理由。"), code=Codes.REASON_REQUIRED, field="reason")
    return text


def return_renewal(renewal: Renewal, *, acting_user: User, reason: str) -> Renewal:
    _require_officer(acting_user, renewal)
    text = _reason(reason)
    with transaction.atomic():
        locked = _move(_lock(renewal), actor=acting_user, action="renewal_returned",
                       transition="return_for_correction", args=(text,),
                       reason=text)
    _notify_member(locked, _("续期申请被退回补正"), text)
    return locked


def refuse_renewal(renewal: Renewal, *, acting_user: User, reason: str) -> Renewal:
    _require_officer(acting_user, renewal)
    text = _reason(reason)
    with transaction.atomic():
        locked = _lock(renewal)
        locked.decided_by = acting_user
        _move(locked, actor=acting_user, action="renewal_refused", transition="refuse", args=(text,), reason=text)
    _notify_member(locked, _("续期申请不予通过"), text)
    return locked


def _new_valid_until(renewal: Renewal) -> dt.date:
    settings = filing_selectors.pack_for(renewal.province).settings
    years = settings.renewal_validity_years or settings.filing_validity_years
    return filing_services.filing_validity(renewal.period_end + dt.timedelta(days=1), years)


def approve_renewal(renewal: Renewal, *, acting_user: User) -> Renewal:
    """Approve: the occupations that met the rules renew for a new validity period (pack setting), the others
    lapse with the old one; the renewal letter is numbered now and rendered after commit."""
    _require_officer(acting_user, renewal)
    with transaction.atomic():
        locked = _lock(renewal)
        renewed = list(locked.counts.get("renewed", []))
        locked.new_valid_until = _new_valid_until(locked)
        locked.letter_number = filing_services.next_renewal_letter_number(locked.province, timezone.localdate().year)
        locked.renewed_occupations = renewed
        locked.decided_by = acting_user
        _move(locked, actor=acting_user, action="renewal_approved", transition="approve",
              changes={"new_valid_until": locked.new_valid_until.isoformat(), "letter_number": locked.letter_number,
                       "renewed": renewed})
        filing_services.renew_filing(locked.filing, acting_user=acting_user, new_valid_until=locked.new_valid_until,
                                     occupations=renewed, letter_number=locked.letter_number)
        pk = locked.pk
        transaction.on_commit(lambda: _queue_letter(pk))
    _notify_member(locked, _("续期申请已通过，有效期至%(d)s") % {"d": locked.new_valid_until.isoformat()})
    return locked


def _queue_letter(renewal_id: int) -> None:
    from ..tasks import render_renewal_letter_task

    render_renewal_letter_task.delay(renewal_id)


def render_renewal_letter(renewal_id: int) -> bool:
    """Render the renewal letter (续期函) to PDF once and keep it. Idempotent: a stored PDF is never re-rendered."""
    from django.core.files.base import ContentFile

    from portal.documents import render_pdf

    renewal = Renewal.objects.select_related("province", "filing__institution", "filing__city").get(pk=renewal_id)
    if renewal.letter_pdf or renewal.state != RenewalState.APPROVED:
        return False
    lines = renewal.filing.occupations.filter(pk__in=renewal.renewed_occupations).select_related("occupation",
                                                                                                 "work_type")
    pdf = render_pdf("documents/renewal_letter.html", {
        "renewal": renewal, "filing": renewal.filing, "lines": lines,
        "issuing_body": filing_services.issuing_body(renewal.province),
    })
    with transaction.atomic():
        locked = Renewal.objects.select_for_update().get(pk=renewal_id)
        if locked.letter_pdf:
            return False
        locked.letter_pdf.save(f"renewal-{locked.pk}.pdf", ContentFile(pdf), save=False)
        locked.letter_rendered_at = timezone.now()
        locked.save(update_fields=["letter_pdf", "letter_rendered_at"])
        record_event(actor=None, action="renewal_letter_rendered", obj=locked, province=renewal.province,
                     changes={"letter": f"{locked.letter_number} {locked.letter_pdf.name}"})
    return True

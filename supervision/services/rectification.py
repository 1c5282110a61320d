"""Rectification orders (整改通知): opening one from a finding or any other source (an upheld complaint), the
organization's answer with evidence, the verifier's decision, and the overdue sweep.

A deadline is counted in working days on the portal's calendar. The sweep marks an order still awaiting the
organization after its deadline as overdue (once, audited); an order accepted on an answer submitted after the
deadline is closed late (``closed_late``)."""

import datetime as dt
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from filings.models import Filing
from portal.audit import record_event
from portal.errors import DomainError, NotPermitted
from portal.models import Institution, Role, User
from portal.notifications import notify
from portal.roles import has_role, users_with_role
from portal.sweeps import SweepResult, sweep
from portal.uploads import check_upload
from portal.workdays import add_working_days

from ..errors import Codes
from ..models import (
    Decision,
    Finding,
    InspectorAssignment,
    OrderState,
    RectificationFile,
    RectificationOrder,
    RectificationResponse,
    Severity,
    SourceKind,
)


def _institution_and_city(filing_or_org: Filing | Institution) -> tuple[Institution, int]:
    if not isinstance(filing_or_org, Institution):
        return filing_or_org.institution, filing_or_org.city_id
    institution = filing_or_org
    filing = Filing.objects.filter(institution=institution).order_by("-filed_on", "-id").first()
    return institution, filing.city_id if filing else institution.city_id


def _link(order: RectificationOrder) -> str:
    return reverse("supervision:order_detail", kwargs={"province": order.province.slug, "pk": order.pk})


def open_rectification_order(filing_or_org: Filing | Institution, *, acting_user: User, source_kind: str,
                             source_object: models.Model | None, findings_text: str, deadline_working_days: int,
                             severity: str = Severity.SERIOUS, today: dt.date | None = None) -> RectificationOrder:
    """Open an order on an organization: from a finding (``source_object`` is the Finding) or from another object
    (an upheld complaint: ``source_kind="complaint"``, its object kept as ``source_ref``). Audited; the
    organization is notified after commit. Call inside or outside a transaction."""
    if source_kind not in SourceKind.values or not findings_text.strip() or deadline_working_days < 1:
        raise DomainError(_("请写明整改事项和整改期限（工作日）。"), code=Codes.ORDER_INVALID, field="findings_text")
    if source_kind == SourceKind.INSPECTION_FINDING and not isinstance(source_object, Finding):
        raise DomainError(_("检查发现问题的整改通知须对应一条检查发现的问题。"), code=Codes.ORDER_INVALID)
    institution, city_id = _institution_and_city(filing_or_org)
    issued_on = today or timezone.localdate()
    with transaction.atomic():
        order = RectificationOrder.objects.create(
            province=institution.province, institution=institution, city_id=city_id, source_kind=source_kind,
            finding=source_object if isinstance(source_object, Finding) else None,
            source_ref=f"{source_object._meta.label_lower}:{source_object.pk}" if source_object is not None else "",
            severity=severity, findings_text=findings_text.strip(), issued_on=issued_on,
            working_days=deadline_working_days, deadline=add_working_days(issued_on, deadline_working_days),
            created_by=acting_user)
        record_event(actor=acting_user, action="rectification_opened", obj=order, province=order.province,
                     to_state=OrderState.OPEN, changes={"deadline": {"before": None, "after": order.deadline},
                                                        "source": {"before": None, "after": order.source_ref}})
    notify(users_with_role(order.province, Role.INSTITUTION_MEMBER, institution=institution),
           title=_("整改通知：请于%(date)s前完成整改") % {"date": order.deadline.isoformat()},
           body=order.findings_text, link=_link(order), province=order.province)
    return order


def _require_member(user: User, order: RectificationOrder) -> None:
    if not has_role(user, order.province, Role.INSTITUTION_MEMBER, institution=order.institution):
        raise NotPermitted(_("只有被通知整改的机构可以提交整改报告。"))


def answer_order(order: RectificationOrder, *, acting_user: User, text: str,
                 files: Sequence[UploadedFile] = (), today: dt.date | None = None) -> RectificationResponse:
    """The organization reports what it did, with evidence; the order waits for verification."""
    _require_member(acting_user, order)
    if not text.strip():
        raise DomainError(_("请填写整改情况。"), code=Codes.ORDER_INVALID, field="text")
    checked = [(f, check_upload(f)) for f in files]
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = RectificationOrder.objects.select_for_update().select_related("province").get(pk=order.pk)
        if locked.state != OrderState.OPEN:
            raise DomainError(_("该整改通知当前不需要提交整改报告（%(state)s）。") % {"state": locked.get_state_display()},
                              code=Codes.ORDER_STATE, status=409)
        response = RectificationResponse.objects.create(order=locked, text=text.strip(), submitted_by=acting_user,
                                                        submitted_on=today, late=today > locked.deadline)
        for upload, result in checked:
            record = RectificationFile(response=response, name=(upload.name or "file")[:200],
                                       content_type=result.content_type, sha256=result.sha256)
            record.file.save("file.bin", upload, save=False)
            record.save()
        locked.submit()
        locked.save()
        record_event(actor=acting_user, action="rectification_answered", obj=locked, province=locked.province,
                     from_state=OrderState.OPEN, to_state=OrderState.SUBMITTED,
                     changes={"files": {"before": None, "after": [f.name for f, _r in checked]},
                              "late": {"before": None, "after": response.late}})
    notify(verifiers(locked), title=_("整改报告待验证：%(org)s") % {"org": locked.institution.name},
           link=_link(locked), province=locked.province)
    return response


def verifiers(order: RectificationOrder) -> list[User]:
    """Who verifies: the finding's inspectors in post; for another source, the officers of the organization's city."""
    if order.finding is not None:
        return [a.inspector for a in InspectorAssignment.objects.filter(
            inspection_id=order.finding.inspection_id, replaced_at__isnull=True).select_related("inspector")]
    return users_with_role(order.province, Role.CITY_OFFICER, city=order.city)


def can_verify(user: User, order: RectificationOrder) -> bool:
    return (user in verifiers(order) or has_role(user, order.province, Role.PROVINCIAL_OFFICER)
            or has_role(user, order.province, Role.CITY_OFFICER, city=order.city))


def verify_order(order: RectificationOrder, *, acting_user: User, accepted: bool, reason: str = "") -> RectificationOrder:
    """Accept the answer (the order closes; late if that answer came after the deadline) or reject it with a reason
    (back to the organization)."""
    if not can_verify(acting_user, order):
        raise NotPermitted(_("只有检查人员或属地经办人员可以验证整改。"))
    if not accepted and not reason.strip():
        raise DomainError(_("退回整改必须说明理由。"), code="reason_required", field="reason")
    with transaction.atomic():
        locked = RectificationOrder.objects.select_for_update().select_related("province", "institution").get(pk=order.pk)
        if locked.state != OrderState.SUBMITTED:
            raise DomainError(_("该整改通知没有待验证的整改报告。"), code=Codes.ORDER_STATE, status=409)
        response = locked.responses.select_for_update().order_by("-id").first()
        assert response is not None  # a submitted order has an answer
        if accepted:
            locked.accept(late=response.late)
        else:
            locked.reject()
        locked.save()
        response.decision = Decision.ACCEPTED if accepted else Decision.REJECTED
        response.decision_reason, response.decided_by, response.decided_at = reason.strip(), acting_user, timezone.now()
        response.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
        record_event(actor=acting_user, action="rectification_accepted" if accepted else "rectification_rejected",
                     obj=locked, province=locked.province, from_state=OrderState.SUBMITTED, to_state=locked.state,
                     reason=reason.strip(), changes={"closed_late": {"before": False, "after": locked.closed_late}})
    if not accepted:
        notify(users_with_role(locked.province, Role.INSTITUTION_MEMBER, institution=locked.institution),
               title=_("整改未通过验证，请继续整改"), body=reason.strip(), link=_link(locked), province=locked.province)
    return locked


def mark_overdue(order_id: int, *, today: dt.date) -> bool:
    """Mark one order overdue when it still waits for the organization after its deadline; False otherwise."""
    with transaction.atomic():
        order = RectificationOrder.objects.select_for_update().select_related("province", "institution").get(pk=order_id)
        # idempotency: marked once; an answered or closed order, or one not yet due, is left alone
        if order.overdue_at is not None or order.state != OrderState.OPEN or order.deadline >= today:
            return False
        order.overdue_at = timezone.now()
        order.save(update_fields=["overdue_at"])
        record_event(actor=None, action="rectification_overdue", obj=order, province=order.province,
                     reason=_("已超过整改截止日期%(date)s") % {"date": order.deadline.isoformat()})
    notify(users_with_role(order.province, Role.INSTITUTION_MEMBER, institution=order.institution),
           title=_("整改已逾期"), body=order.findings_text, link=_link(order), province=order.province)
    return True


def sweep_overdue_orders(today: dt.date | None = None) -> SweepResult:
    """The beat sweep: the open orders past their deadline not yet marked, through the (state, deadline) index."""
    today = today or timezone.localdate()
    due = RectificationOrder.objects.filter(state=OrderState.OPEN, deadline__lt=today, overdue_at__isnull=True)
    return sweep(due, lambda pk: mark_overdue(pk, today=today))

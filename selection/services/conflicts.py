"""Conflicts of interest (利益冲突声明): an expert declares one and is recused from the application in every panel."""

from django.db import transaction
from django.utils.translation import gettext as _

from filings.models import Application
from portal.audit import record_event
from portal.errors import DomainError, NotPermitted
from portal.models import Role, User
from portal.notifications import notify
from portal.roles import has_role

from ..errors import Codes
from ..models import ConflictDeclaration, ConflictKind, Expert, ScoreSheet, SheetState
from ._common import link, panel_organizers


def _declaring_expert(application: Application, acting_user: User, kind: str, reason: str) -> Expert:
    expert = Expert.objects.filter(province=application.province, user=acting_user).first()
    if expert is None or not has_role(acting_user, application.province, Role.EXPERT):
        raise NotPermitted(_("只有本省专家库中的专家可以声明回避。"))
    if kind not in ConflictKind.values:
        raise DomainError(_("请选择回避情形。"), code=Codes.CONFLICT_KIND_INVALID)
    if kind != ConflictKind.SAME_EMPLOYER and not reason:
        raise DomainError(_("请说明需要回避的原因。"), code=Codes.REASON_REQUIRED)
    return expert


def _recuse_sheets(expert: Expert, application: Application, *, acting_user: User, why: str) -> list[ScoreSheet]:
    """Move each of the expert's sheets on the application to recused, one audit event per sheet."""
    sheets = list(ScoreSheet.objects.select_for_update(of=("self",)).select_related("panel__city", "panel__province")
                  .filter(expert=expert, application=application).exclude(state=SheetState.RECUSED))
    for sheet in sheets:
        before = sheet.state
        sheet.recuse()
        sheet.save(update_fields=["state"])
        record_event(actor=acting_user, action="sheet_recused", obj=sheet, province=application.province,
                     from_state=before, to_state=SheetState.RECUSED, reason=why)
    return sheets


def declare_conflict(application: Application, *, acting_user: User, kind: str, reason: str = "") -> ConflictDeclaration:
    """An expert declares a conflict of interest: they are recused from the application in every panel (a submitted
    sheet no longer counts) and never assigned it again; the organizers are told to draw a replacement."""
    reason = reason.strip()
    expert = _declaring_expert(application, acting_user, kind, reason)
    with transaction.atomic():
        declaration, created = ConflictDeclaration.objects.get_or_create(
            expert=expert, application=application, defaults={"kind": kind, "reason": reason})
        sheets = _recuse_sheets(expert, application, acting_user=acting_user,
                                why=reason or str(ConflictKind(kind).label))
        if created:
            record_event(actor=acting_user, action="conflict_declared", obj=declaration,
                         province=application.province, reason=reason,
                         changes={"kind": {"before": None, "after": kind}})
    for sheet in sheets:
        notify(panel_organizers(sheet.panel), title=_("专家声明回避：%(name)s") % {"name": application.institution.name},
               body=_("%(expert)s声明回避（%(kind)s），请补充抽取专家。") % {
                   "expert": expert.name, "kind": ConflictKind(kind).label},
               link=link("panel_detail", sheet.panel.province, pk=sheet.panel_id), province=sheet.panel.province)
    return declaration

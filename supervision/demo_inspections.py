"""Demo data of inspections (双随机、一公开): in Shandong, one campaign drawn a month ago whose inspections found
problems that were rectified (one answer rejected first) and which is closed with its public outcome, and one
drawn this week whose inspections wait for their inspectors — so that `make run` shows every page with real data."""

import datetime as dt
import logging

from django.utils import timezone

from filings.models import Filing, FilingStatus
from portal import demo
from portal.errors import DomainError
from portal.models import Province, Role, User
from portal.roles import users_with_role

from . import services
from .models import Campaign, Inspection, Severity

logger = logging.getLogger(__name__)
CLOSED_TITLE = "2026年第三季度双随机抽查（演示）"
OPEN_TITLE = "2026年第四季度双随机抽查（演示）"


def _campaign(province: Province, officer: User, title: str, source_on: dt.date, count: int) -> Campaign:
    campaign = services.create_campaign(
        province, acting_user=officer, today=source_on, title=title, occupation_group="", organizations_to_draw=count,
        inspectors_per_organization=2, exclude_months=12, weighted=True,
        random_source=f"中国福利彩票双色球 {source_on:%Y年%m月%d日}开奖号码", random_source_date=source_on,
        inspect_from=source_on + dt.timedelta(days=1), inspect_until=source_on + dt.timedelta(days=40))
    return services.publish_commitment(campaign, acting_user=officer, today=source_on)


def _member(inspection: Inspection) -> User | None:
    members = users_with_role(inspection.province, Role.INSTITUTION_MEMBER, institution=inspection.institution)
    return members[0] if members else None


def _inspect(inspection: Inspection, on: dt.date) -> None:
    """Schedule, find one minor problem, have the organization answer (rejected once, then accepted), complete."""
    assignment = inspection.assignments.filter(replaced_at__isnull=True).order_by("pick__index").first()
    if assignment is None:
        return
    inspector = assignment.inspector
    services.schedule_inspection(inspection, acting_user=inspector, schedule=services.Schedule(
        scheduled_on=on, scope_session=False, scope_site=True, scope_documents=True))
    finding = services.record_finding(inspection, acting_user=inspector, severity=Severity.MINOR,
                                      text="考场规则、考生须知未在考场张贴公示", today=on)
    member = _member(inspection)
    if member is not None:
        order = finding.order
        services.answer_order(order, acting_user=member, text="已在各考场张贴考场规则", today=on + dt.timedelta(days=2))
        services.verify_order(order, acting_user=inspector, accepted=False, reason="请补充张贴后的现场照片说明")
        services.answer_order(order, acting_user=member, text="已张贴并补充照片", today=on + dt.timedelta(days=4))
        services.verify_order(order, acting_user=inspector, accepted=True)
    services.complete_inspection(inspection, acting_user=inspector, report="发现一般问题1项，已下达整改通知。")


@demo.register(62, "supervision: inspection campaigns, one closed with its outcome and one under way")
def load_inspection_campaigns() -> None:
    province = Province.objects.filter(slug="sd").first()
    officers = users_with_role(province, Role.PROVINCIAL_OFFICER) if province else []
    if province is None or not officers or Campaign.objects.filter(province=province, title=CLOSED_TITLE).exists():
        return  # idempotency: once
    frame = Filing.objects.filter(province=province, status=FilingStatus.ACTIVE).count()
    if not frame:
        return
    officer, today = officers[0], timezone.localdate()
    try:
        closed = _campaign(province, officer, CLOSED_TITLE, today - dt.timedelta(days=35), min(2, frame))
        current = _campaign(province, officer, OPEN_TITLE, today - dt.timedelta(days=2), min(2, frame))
        closed = services.draw_campaign(closed, acting_user=officer, sources=[[3, 11, 17, 22, 28, 31], [9]],
                                        today=today - dt.timedelta(days=35))
        for inspection in closed.inspections.all():
            _inspect(inspection, today - dt.timedelta(days=30))
        services.close_campaign(closed, acting_user=officer)
        services.draw_campaign(current, acting_user=officer, sources=[[5, 8, 13, 19, 24, 30], [12]],
                               today=today - dt.timedelta(days=2))
    except DomainError as exc:
        logger.warning("Inspection demo not loaded: %s", exc.message)

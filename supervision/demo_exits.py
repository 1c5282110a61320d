"""Demo data of exits and suspensions: after the supervision history, one organization ordered to exit and terminated
(its certificates still verify, with the checklist) and one suspended pending rectification."""

import datetime as dt
import logging

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from filings.models import Filing, FilingStatus
from portal import demo
from portal.models import Membership, Role, User

from . import services
from .models import FilingExit, Suspension

logger = logging.getLogger(__name__)
TERMINATED_ACCOUNT, SUSPENDED_ACCOUNT = "sd-org-5", "sd-org-6"


def _filing_of(username: str) -> tuple[Filing, User] | None:
    membership = Membership.objects.filter(user__username=username, role=Role.INSTITUTION_MEMBER).select_related(
        "user").first()
    filing = Filing.objects.filter(institution_id=membership.institution_id).first() if membership else None
    return (filing, membership.user) if filing and membership else None


def _evidence(name: str) -> SimpleUploadedFile:
    from portal.documents import html_to_pdf

    return SimpleUploadedFile(name, html_to_pdf(f"<p>{name}（演示）</p>"), content_type="application/pdf")


def _terminate(officer: User) -> None:
    found = _filing_of(TERMINATED_ACCOUNT)
    if found is None or FilingExit.objects.filter(filing=found[0]).exists():
        return
    filing, member = found
    filing_exit = services.order_exit(filing, acting_user=officer, reason="冒名顶替参加考核，经查证属实（演示）",
                                      evidence=_evidence("检查记录.pdf"))
    for task in filing_exit.tasks.all():
        services.complete_wrap_up_task(task, acting_user=member, evidence=_evidence(f"{task.kind}.pdf"), note="演示")
    services.confirm_exit(filing_exit, acting_user=officer)


def _suspend(officer: User) -> None:
    found = _filing_of(SUSPENDED_ACCOUNT)
    if found is None or Suspension.objects.filter(filing=found[0]).exists() or found[0].status != FilingStatus.ACTIVE:
        return
    services.suspend(found[0], acting_user=officer, reason="真实性疑点待核查，限期整改（演示）",
                     ends_on=timezone.localdate() + dt.timedelta(days=30))


@demo.register(62, "supervision: one organization ordered to exit and terminated, one suspended")
def load_exits_and_suspensions() -> None:
    officer = User.objects.filter(username="sd-province").first()
    if officer is None:
        return
    _terminate(officer)  # idempotency: each step skips a filing that already has its exit or suspension
    _suspend(officer)
    logger.info("Supervision demo: exits %d, suspensions %d", FilingExit.objects.count(), Suspension.objects.count())

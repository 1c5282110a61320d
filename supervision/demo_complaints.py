"""Demo data of complaints: in Shandong (routed to the province), one complaint in each state — new, with the
organization, waiting for the complainant, answered, reopened, closed — and one reassigned to its city and left past
its legal deadline, which the sweep escalates back. Their tracking codes are fixed for the demo (DEMO-SDAA-AAAA-AAAB …
AAAH) so that anyone can try the tracking page; real codes are random."""

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from filings.models import Filing, FilingStatus
from portal import demo
from portal.errors import DomainError
from portal.models import City, Province, Role, User
from portal.roles import users_with_role
from portal.workdays import add_working_days

from . import services
from .models import Complaint, HandlingLevel
from .services.complaint_deadlines import set_deadlines

logger = logging.getLogger(__name__)
DEMO_IP = "192.0.2.10"
TEXTS = {
    "fees": "报名时被要求另交“保过费”1500元，未开具发票。",
    "exam_conduct": "理论考试时监考人员中途离场约二十分钟，考场秩序混乱。",
    "certificate": "考核合格已三个月，证书仍未发放，多次询问无答复。",
    "training": "宣传“包拿证”，实际培训课时不足一半。",
    "service": "电话咨询时工作人员态度恶劣。",
}


def demo_code(n: int) -> str:
    return f"DEMO-SDAA-AAAA-AAA{'BCDEFGH'[n]}"


def _file(filing: Filing, n: int, category: str, **contact: Any) -> Complaint:
    entry = services.ComplaintInput(subject_kind="organization", category=category, text=TEXTS[category],
                                    organization_id=filing.institution_id, **contact)
    complaint, _code = services.submit_complaint(filing.province, entry, ip=f"192.0.2.{10 + n}")
    complaint.tracking_hash = services.code_hash(demo_code(n))
    complaint.save(update_fields=["tracking_hash"])
    return complaint


def _backdate(complaint: Complaint, working_days: int) -> None:
    """As if filed `working_days` working days ago (the demo has no history of complaints otherwise)."""
    day = add_working_days(timezone.localdate(), -working_days)
    complaint.filed_on = complaint.clock_started_on = day
    complaint.filed_at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    set_deadlines(complaint)
    complaint.save()


def _states(filings: list[Filing], officer: User) -> None:
    first, other = filings[0], filings[-1]
    _file(first, 0, "fees", name="孙丽", mobile="13900000001")  # new
    forwarded = _file(other, 1, "exam_conduct", anonymous=True)
    services.forward_to_organization(forwarded, acting_user=officer, note="请核实并答复。")
    asked = _file(first, 2, "certificate", name="周强", email="zhouqiang@demo.skills-portal.example.cn")
    services.request_information(asked, acting_user=officer, text="请提供准考证号和考核日期。")
    answered = _file(first, 3, "training", name="吴敏", mobile="13900000003")
    services.decide_complaint(answered, acting_user=officer, decision="partly",
                              reason="经查宣传用语不当，已责令机构整改宣传材料；课时记录基本完整。")
    reopened = _file(other, 4, "fees", anonymous=True, email="anon@demo.skills-portal.example.cn")
    reopened = services.decide_complaint(reopened, acting_user=officer, decision="not_upheld", reason="收费符合公示标准。")
    services.react_to_answer(reopened, satisfied=False, comment="公示标准中没有该项费用。")
    closed = _file(first, 5, "service", name="郑华", mobile="13900000005")
    closed = services.decide_complaint(closed, acting_user=officer, decision="upheld", reason="已约谈机构负责人。")
    services.react_to_answer(closed, satisfied=True)


def _escalated(filing: Filing, officer: User) -> None:
    """Reassigned to the organization's city, then left past the legal deadline: the sweep hands it back."""
    late = _file(filing, 6, "exam_conduct", name="冯军", mobile="13900000006")
    city = City.objects.get(pk=filing.city_id)
    services.reassign_complaint(late, acting_user=officer, level=HandlingLevel.CITY, city=city,
                                reason="由属地地市核查考场情况。")
    late.refresh_from_db()
    _backdate(late, 20)


@demo.register(62, "supervision: complaints in every state, one escalated by the sweep")
def load_complaints() -> None:
    province = Province.objects.filter(slug="sd").first()
    if province is None or Complaint.objects.filter(province=province).exists():
        return  # idempotency: once
    filings = list(Filing.objects.filter(province=province, status=FilingStatus.ACTIVE,
                                         published_at__isnull=False).order_by("pk")[:2])
    officers = users_with_role(province, Role.PROVINCIAL_OFFICER)
    if not filings or not officers:
        return
    try:
        with transaction.atomic():
            _states(filings, officers[0])
            _escalated(filings[0], officers[0])
    except DomainError as exc:  # e.g. the calendar of the coming year is not entered yet
        logger.warning("Complaints demo skipped: %s", exc.message)
        return
    result = services.sweep_complaints()
    logger.info("Complaints demo: %d complaints (codes %s … %s), %d changed by the sweep",
                Complaint.objects.filter(province=province).count(), demo_code(0), demo_code(6), result.acted)

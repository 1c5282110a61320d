"""Reads of renewals (续期): the window of a filing, the certificates counted for it, the pre-check with its figures,
and the renewal state the automatic exit reads."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from certificates import selectors as certificate_selectors
from certificates.models import Certificate
from filings import selectors as filing_selectors
from filings.models import Filing, FilingOccupation, FilingStatus
from portal.models import Province

from ..models import PENDING_STATES, Renewal, RenewalState

__all__ = [
    "OccupationCount",
    "RenewalCheck",
    "RenewalWindow",
    "counted_certificates",
    "current_renewal",
    "dormant_filings",
    "renewal_check",
    "renewal_pending",
    "renewal_refused",
    "renewal_state",
    "renewal_window",
    "renewals_of",
    "validity_period_start",
]


@dataclass(frozen=True)
class RenewalWindow:
    """When a filing may apply to renew: from `opens_on` to its last valid day `valid_until`, both included."""

    offered: bool  # the province's pack has renewal
    valid_until: dt.date
    opens_on: dt.date
    days_left: int  # 0 on the last valid day

    @property
    def is_open(self) -> bool:
        return self.offered and 0 <= self.days_left and self.days_left <= (self.valid_until - self.opens_on).days


def renewal_window(filing: Filing, *, today: dt.date | None = None) -> RenewalWindow:
    today = today or timezone.localdate()
    settings = filing_selectors.pack_for(filing.province).settings
    return RenewalWindow(
        offered=settings.has_renewal,
        valid_until=filing.valid_until,
        opens_on=filing.valid_until - dt.timedelta(days=settings.renewal_window_days),
        days_left=(filing.valid_until - today).days,
    )


def renewals_of(filing: Filing) -> QuerySet[Renewal]:
    return Renewal.objects.filter(filing=filing).order_by("-period_end", "-id")


def current_renewal(filing: Filing) -> Renewal | None:
    """The renewal of the validity period the filing is in now (its period ends on the filing's last valid day)."""
    return Renewal.objects.filter(filing=filing, period_end=filing.valid_until).first()


def renewal_state(filing: Filing) -> str:
    """The state of the current period's renewal ("" when none): what the automatic exit reads at expiry."""
    renewal = current_renewal(filing)
    return renewal.state if renewal is not None else ""


def renewal_pending(filing: Filing) -> bool:
    """A renewal of the current period is under review (submitted or returned for correction): do not exit yet."""
    return Renewal.objects.filter(filing=filing, period_end=filing.valid_until, state__in=PENDING_STATES).exists()


def renewal_refused(filing: Filing) -> bool:
    """The current period's renewal was refused: the filing exits (automatic exit) without waiting for expiry."""
    return Renewal.objects.filter(
        filing=filing, period_end=filing.valid_until, state=RenewalState.REFUSED
    ).exists()


def validity_period_start(filing: Filing) -> dt.date:
    """The first day of the validity period ending on `filing.valid_until`: the day after the last renewed period,
    or the filing's own start."""
    last = (
        Renewal.objects.filter(filing=filing, state=RenewalState.APPROVED, period_end__lt=filing.valid_until)
        .order_by("-period_end").values_list("period_end", flat=True).first()
    )
    return last + dt.timedelta(days=1) if last is not None else filing.valid_from


def counted_certificates(renewal: Renewal) -> QuerySet[Certificate]:
    """The list behind the counts: the certificates in force the filing issued in the period."""
    return certificate_selectors.certificates_issued_in(renewal.filing, renewal.period_start, renewal.period_end)


@dataclass(frozen=True)
class OccupationCount:
    line: FilingOccupation
    count: int
    requested: bool
    renewed: bool  # requested and passing every per-occupation rule


@dataclass(frozen=True)
class RenewalCheck:
    """The pre-check of a renewal: each rule with its computed figure and source, and what it means for the scope."""

    total: int
    occupations: list[OccupationCount]
    results: list[Any]  # filings' RuleResult: rule_id, text, source, verdict, reason, basic
    missing_documents: list[str] = field(default_factory=list)
    per_occupation_rules: frozenset[str] = frozenset()  # failing one drops the occupation, not the renewal

    @property
    def renewed_ids(self) -> list[int]:
        return [o.line.pk for o in self.occupations if o.renewed]

    @property
    def dropped(self) -> list[OccupationCount]:
        return [o for o in self.occupations if o.requested and not o.renewed]

    @property
    def blocking(self) -> list[Any]:
        """Failed basic rules that are not per occupation (those only drop their occupation)."""
        return [r for r in self.results
                if r.basic and r.verdict == "fail" and r.rule_id not in self.per_occupation_rules]

    @property
    def can_submit(self) -> bool:
        return not self.blocking and not self.missing_documents and bool(self.renewed_ids)


def renewal_check(renewal: Renewal) -> RenewalCheck:
    """Count the certificates of the period (never typed) and evaluate the pack's renewal rules on them."""
    counts = certificate_selectors.certificate_counts_in(renewal.filing, renewal.period_start, renewal.period_end)
    lines = list(
        renewal.filing.occupations.filter(valid_until=renewal.period_end).select_related("occupation", "work_type")
    )
    requested = [line for line in lines if line.pk in set(renewal.occupations)]
    documents = frozenset(renewal.documents.values_list("checklist_key", flat=True))
    evaluation = filing_selectors.evaluate_filing_renewal(
        renewal.filing, lines=requested, facts=dict(renewal.facts), counts=counts, documents=documents)
    occupations = [
        OccupationCount(line, counts.get(line.occupation.code, 0), line in requested,
                        line.pk in evaluation.passing_lines)
        for line in lines
    ]
    missing = [str(item.label) for item in filing_selectors.renewal_checklist(renewal.province, renewal.institution.category)
               if item.required and item.key not in documents]
    return RenewalCheck(sum(counts.values()), occupations, evaluation.results, missing,
                        evaluation.per_occupation_rules)


def filing_is_live(filing: Filing) -> bool:
    return filing.status in (FilingStatus.ACTIVE, FilingStatus.SUSPENDED)


def dormant_filings(province: Province, *, today: dt.date | None = None) -> QuerySet[Filing]:
    """Active filings that issued no certificate in the pack's `dormancy_months` (none when the setting is off)."""
    months = filing_selectors.pack_for(province).settings.dormancy_months
    if not months:
        return Filing.objects.none()
    today = today or timezone.localdate()
    total = today.year * 12 + today.month - 1 - months
    since = today.replace(year=total // 12, month=total % 12 + 1, day=min(today.day, 28))
    live = Filing.objects.filter(province=province, status=FilingStatus.ACTIVE)
    return certificate_selectors.without_certificates_since(live, since)

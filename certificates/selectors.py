"""Reads of the exam-to-certificate pipeline that views, the API and other apps (supervision) share.

This module and certificates.services are the app's public face. Reads that a request makes are scoped through
certificates.access first; the functions here take objects already reached that way, or a province.
"""

import calendar
import datetime as dt
import functools
import re
import unicodedata
import weakref
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing as django_signing
from django.db import DEFAULT_DB_ALIAS, connection, connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.translation import get_language

from filings.models import Filing
from portal import optimistic
from portal.identifiers import mask_id_number, normalize_id_number
from portal.models import AuditEvent, Objection, Occupation, Province, SkillLevel
from portal.translated import label_kept

from . import numbering, signing
from .models import Candidate, ExamPlan, ExamSession, PlanState, SessionStaff
from .models.exams import IdType
from .models.issuance import Certificate, CertificateStatus, IssuanceBatch, RevocationReason, SigningKey

P = PlanState


def certified_among(id_numbers: Iterable[str], occupation: Occupation, level: int) -> set[str]:
    """The identity numbers among `id_numbers` that hold a certificate in force (not revoked, not superseded) of
    this occupation at this level, in any province (a certificate is valid nationwide), in one query."""
    numbers = set(id_numbers)
    if not numbers:
        return set()
    if connection.vendor == "postgresql":
        # one array parameter instead of ten thousand placeholders (their SQL alone takes longer than the query)
        wanted: Any = RawSQL("SELECT unnest(%s::varchar[])", (sorted(numbers),))
    else:
        wanted = numbers
    return set(
        Certificate.objects.filter(id_number__in=wanted, occupation=occupation, level=level,
                                   status=CertificateStatus.VALID).values_list("id_number", flat=True)
    )


def is_certified(id_number: str, occupation: Occupation, level: int) -> bool:
    """Whether this person already holds a certificate of this occupation at this level."""
    return bool(certified_among([id_number], occupation, level))


def issuable_results(filing: Filing) -> QuerySet[Candidate]:
    """Candidates of this filing's plans whose results passed and were approved by the city and the province: what
    the organization may issue certificates for (the certificates work filters out those already issued)."""
    return (
        Candidate.objects.filter(plan__filing=filing, plan__state=P.APPROVED, passed=True)
        .select_related("plan__occupation", "plan__work_type", "plan__institution")
        .order_by("plan_id", "line")
    )


def plan_sessions(plan: ExamPlan) -> list[ExamSession]:
    return list(
        plan.sessions.select_related("venue__city").prefetch_related(
            Prefetch("staff", queryset=SessionStaff.objects.select_related("staff").order_by("duty", "staff__name")))
    )


def roster_summary(plan: ExamPlan) -> dict[int, int]:
    return dict(plan.candidates.values_list("level").annotate(n=Count("id")).values_list("level", "n"))


def results_summary(plan: ExamPlan) -> dict[str, int]:
    counts = plan.candidates.aggregate(
        n_total=Count("id"), n_passed=Count("id", filter=Q(passed=True)),
        n_failed=Count("id", filter=Q(passed=False)), n_pending=Count("id", filter=Q(passed__isnull=True)),
    )
    return {k.removeprefix("n_"): int(v or 0) for k, v in counts.items()}


def plan_objections(plan: ExamPlan) -> QuerySet[Objection]:
    if plan.publicity_notice_id is None:
        return Objection.objects.none()
    return Objection.objects.filter(notice_id=plan.publicity_notice_id).select_related("item", "resolved_by")


def history(plan: ExamPlan) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        province=plan.province, object_type=plan._meta.label_lower, object_id=str(plan.pk)
    ).select_related("actor")


@dataclass(frozen=True)
class CalendarDayCell:
    date: dt.date | None
    sessions: list[ExamSession]


def month_calendar(plans: QuerySet[ExamPlan], year: int, month: int) -> list[list[CalendarDayCell]]:
    """Weeks (Monday first) of the month with the sessions of `plans` on each day (one query)."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    by_day: dict[dt.date, list[ExamSession]] = defaultdict(list)
    for s in (ExamSession.objects.filter(plan__in=plans, date__gte=first, date__lte=last)
              .select_related("plan__institution", "plan__occupation", "venue").order_by("date", "start_time")):
        by_day[s.date].append(s)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([CalendarDayCell(d if d.month == month else None, by_day.get(d, []) if d.month == month else [])
                      for d in week])
    return weeks


def plans_for_supervision(province: Province) -> QuerySet[ExamPlan]:
    """Filed plans of a province with their sessions, for supervision (inspections read this)."""
    return (ExamPlan.objects.in_province(province).exclude(state__in=[P.DRAFT, P.CANCELLED, P.LAPSED])
            .select_related("institution", "city", "occupation"))


# --- certificates: issuance, public lookup and the lifelong record ---

LIFELONG_RECORD_LIMIT = 200  # a person with more certificates than this sees the newest 200


def normalize_holder_name(value: str) -> str:
    """A name as typed into a lookup form: NFKC (full-width letters and spaces folded), no surrounding or repeated
    spaces, and the middle dot of minority names in one form (· U+00B7)."""
    text = unicodedata.normalize("NFKC", value or "")
    for dot in ("•", "・", "‧", "∙", "●"):
        text = text.replace(dot, "·")
    return " ".join(text.split())


def results_to_certify(filing: Filing) -> QuerySet[Candidate]:
    """The filing's issuable results (approved, passed) without a certificate in force: what a batch issues."""
    live = Certificate.objects.filter(candidate=OuterRef("pk")).exclude(status=CertificateStatus.SUPERSEDED)
    return issuable_results(filing).filter(~Exists(live))


def plans_to_certify(filing: Filing) -> list[tuple[ExamPlan, int]]:
    """The approved plans of the filing that still have results to certify, with how many (two queries)."""
    counts = dict(results_to_certify(filing).order_by().values_list("plan_id").annotate(n=Count("pk")))
    plans = ExamPlan.objects.filter(pk__in=counts).select_related("occupation", "work_type").order_by(
        "-province_approved_at", "-pk")
    return [(plan, counts[plan.pk]) for plan in plans]


def certificate_history(certificate: Certificate) -> QuerySet[AuditEvent]:
    """The audit events of one certificate (issued with its batch; revoked, superseded, reissued), newest first."""
    return AuditEvent.objects.filter(
        province_id=certificate.province_id, object_type=certificate._meta.label_lower, object_id=str(certificate.pk)
    ).select_related("actor")


@dataclass(frozen=True)
class PublicCertificate:
    """What the public lookup reads of a certificate: the printed fields, the status, the replacement's number."""

    id: int
    number: str
    holder_name: str
    id_type: str
    id_number: str
    occupation_code: str
    occupation_name: str
    work_type_name: str
    level: int
    organization_name: str
    issued_on: dt.date
    status: str
    status_changed_on: dt.date | None
    revocation_reason_code: str
    revocation_reason: str
    province_name: str
    superseded_by: str | None
    filing_id: int = 0
    payload: str = ""
    # the issuer's history as the lookup read it from the cache in its Redis round trip (filings.selectors
    # standing_cache_keys); None: not read, the checklist asks the cache itself
    issuer_history: Any = None

    @property
    def is_valid(self) -> bool:
        return self.status == CertificateStatus.VALID


@functools.cache
def _public_sql() -> str:
    """The lookup's one query, by number or by ID number and name (both through an index).

    Written out rather than built by the ORM: this is the hot path of a public page that must stay fast at tens of
    millions of rows, and compiling the equivalent queryset costs more than running the indexed query itself
    (bench/lookup_load.py). The columns are the fields of PublicCertificate, in order.
    """
    q = connection.ops.quote_name
    certificate, province = q(Certificate._meta.db_table), q(Province._meta.db_table)
    # table names from the models' meta; the values are always passed as parameters
    return (
        "SELECT c.id, c.number, c.holder_name, c.id_type, c.id_number, c.occupation_code, c.occupation_name, "  # noqa: S608
        "c.work_type_name, c.level, c.organization_name, c.issued_on, c.status, c.status_changed_on, "
        "c.revocation_reason_code, c.revocation_reason, p.name, s.number, c.filing_id, c.payload "
        f"FROM {certificate} c JOIN {province} p ON p.id = c.province_id "
        f"LEFT JOIN {certificate} s ON s.id = c.superseded_by_id "
    )


# DB-API connections (a new object after any reconnect) → the lookup statements prepared on them
_prepared: "weakref.WeakKeyDictionary[Any, set[str]]" = weakref.WeakKeyDictionary()


def _prepared_statement(db: BaseDatabaseWrapper, cursor: Any, name: str, where: str) -> str:
    """On PostgreSQL, the lookup prepared once per connection (PREPARE, which outlives a rolled-back transaction):
    planning the three-table query cost twice what running it does (0.15 ms against 0.05 ms measured, see
    docs/performance.md). settings.CERTIFICATE_LOOKUP_PREPARED = False turns it off (a pooler in transaction mode,
    such as PgBouncer's, does not keep a session's prepared statements)."""
    done = _prepared.setdefault(db.connection, set())
    if name not in done:
        numbered = iter(range(1, where.count("%s") + 1))
        cursor.execute(f"PREPARE {name} AS {_public_sql()}{re.sub('%s', lambda _m: f'${next(numbered)}', where)}")
        done.add(name)
    return f"EXECUTE {name}({', '.join(['%s'] * where.count('%s'))})"


def _public_rows(where: str, params: list[Any], *, prepared: str = "") -> list[PublicCertificate]:
    # raw SQL bypasses the database routers: ask them, so the lookup reads the replica when one serves it
    db = connections[router.db_for_read(Certificate) or DEFAULT_DB_ALIAS]

    def query(cursor: Any) -> list[Any]:
        if prepared and db.vendor == "postgresql" and getattr(settings, "CERTIFICATE_LOOKUP_PREPARED", True):
            cursor.execute(_prepared_statement(db, cursor, prepared, where), params)
        else:
            cursor.execute(_public_sql() + where, params)
        return cursor.fetchall()

    return [PublicCertificate(*row) for row in optimistic.read(db, query)]  # no SELECT 1 before it (portal.optimistic)


LINK_SALT = "certificates.verify.link"
LINK_MAX_AGE = dt.timedelta(days=1)


def link_token(number: str) -> str:
    """A short-lived link to one certificate for a visitor who has just verified a related one (superseded → new)."""
    return django_signing.dumps(number, salt=LINK_SALT)


def number_from_link(token: str) -> str | None:
    try:
        value = django_signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except django_signing.BadSignature:
        return None
    return value if isinstance(value, str) else None


def find_by_link(token: str) -> PublicCertificate | None:
    number = number_from_link(token)
    found = _public_rows("WHERE c.number = %s", [number]) if number else []
    return found[0] if found else None


def public_view(certificate: PublicCertificate | Certificate) -> dict[str, Any]:
    """What the public sees of a certificate: the printed fields with the ID masked, and its status; a superseded one
    links to its replacement."""
    if isinstance(certificate, Certificate):
        replacement = certificate.superseded_by.number if certificate.superseded_by_id and certificate.superseded_by else None
        certificate = PublicCertificate(
            certificate.pk, certificate.number, certificate.holder_name, certificate.id_type, certificate.id_number,
            certificate.occupation_code, certificate.occupation_name, certificate.work_type_name, certificate.level,
            certificate.organization_name, certificate.issued_on, certificate.status, certificate.status_changed_on,
            certificate.revocation_reason_code, certificate.revocation_reason, certificate.province.name,
            replacement, certificate.filing_id, certificate.payload)
    superseded = certificate.superseded_by if certificate.status == CertificateStatus.SUPERSEDED else None
    language = get_language() or ""  # asked once for the labels below
    reason_label = (label_kept(RevocationReason(certificate.revocation_reason_code), language)
                    if certificate.revocation_reason_code else "")
    return {
        "number": certificate.number,
        "holder_name": certificate.holder_name,
        "masked_id": mask_id_number(certificate.id_number),
        "id_type": certificate.id_type,
        "id_type_label": label_kept(IdType(certificate.id_type), language),
        "occupation_code": certificate.occupation_code,
        "occupation_name": certificate.occupation_name,
        "work_type_name": certificate.work_type_name,
        "level": certificate.level,
        "level_label": label_kept(SkillLevel(certificate.level), language),
        "organization_name": certificate.organization_name,
        "province_name": certificate.province_name,
        "issued_on": certificate.issued_on,
        "issued_on_text": certificate.issued_on.isoformat(),
        "status": certificate.status,
        "status_label": label_kept(CertificateStatus(certificate.status), language),
        "status_changed_on": certificate.status_changed_on,
        "status_changed_on_text": certificate.status_changed_on.isoformat() if certificate.status_changed_on else "",
        "revocation_reason_code": certificate.revocation_reason_code,
        "revocation_reason_label": reason_label,
        "revocation_reason": certificate.revocation_reason,
        "revocation_text": f"{reason_label}——{certificate.revocation_reason}" if certificate.revocation_reason
        else str(reason_label),
        "superseded_by": superseded or "",
        "superseded_by_url": reverse("verify:linked", kwargs={"token": link_token(superseded)}) if superseded else "",
    }


def find_by_number(number: str, holder_name: str) -> PublicCertificate | None:
    """The certificate with this number, if the holder's name matches too (both factors, or nothing)."""
    value = numbering.normalize_number(number)
    name = normalize_holder_name(holder_name)
    if not (numbering.is_well_formed(value) and name):
        return None
    found = _public_rows("WHERE c.number = %s", [value], prepared="certificates_lookup_number")
    if not found or found[0].holder_name != name:
        return None
    return found[0]


def find_by_id_number(id_number: str, holder_name: str) -> list[PublicCertificate]:
    """Every certificate of this ID number and name, in every province, newest first (both factors, or nothing)."""
    value = normalize_id_number(id_number)
    name = normalize_holder_name(holder_name)
    if not (value and name):
        return []
    return _public_rows("WHERE c.id_number = %s AND c.holder_name = %s ORDER BY c.issued_on DESC, c.number DESC "
                        f"LIMIT {LIFELONG_RECORD_LIMIT}", [value, name], prepared="certificates_lookup_id_number")


def find_by_payload(payload: signing.Payload) -> PublicCertificate | None:
    """The certificate a verified QR payload names (its number and holder's name as signed)."""
    found = _public_rows("WHERE c.number = %s", [payload.number])
    if not found or found[0].holder_name != payload.holder_name:
        return None
    return found[0]


def public_keys() -> dict[str, bytes]:
    """{key id: raw public key} of every signing key of every province, for checking QR payloads online."""
    return {kid: signing.unb64url(public) for kid, public in SigningKey.objects.values_list("key_id", "public_key")}


_known_keys: dict[str, bytes] = {}  # public_keys() as this process last read it


def verify_token(token: str) -> signing.Payload:
    """The payload of a token whose signature verifies with the published key it names; PayloadError otherwise.

    The keys are read once per process and read again only when a token does not verify with them (a key made
    since, by rotation): a key, once published, is never changed or deleted, so a key kept in memory can be missing
    but not wrong, and a token that verifies with it verifies with the published one. Every lookup of a certificate
    with a PDF checks its signature; this spares each of them a query.
    """
    global _known_keys
    if _known_keys:
        try:
            return signing.verify_token(token, _known_keys)
        except signing.PayloadError as exc:
            if exc.code == "payload_malformed":
                raise  # no key could make it verify
    _known_keys = public_keys()
    return signing.verify_token(token, _known_keys)


def key_file(province: Province) -> dict[str, Any]:
    """The province's published key file (/verify/keys/<province>.json): every key that ever signed, with validity."""
    entries = [
        signing.key_file_entry(key_id=k.key_id, public_raw=signing.unb64url(k.public_key), valid_from=k.valid_from,
                                valid_until=k.valid_until, active=k.is_active)
        for k in SigningKey.objects.filter(province=province).order_by("valid_from", "pk")
    ]
    return signing.key_file(province_slug=province.slug, province_code=province.code, province_name=province.name,
                             entries=entries)


def batch_progress(batch: IssuanceBatch) -> dict[str, Any]:
    """What the batch page's progress bar polls: rendered of total, and whether the pipeline has finished."""
    return {"id": batch.pk, "total": batch.total, "rendered": batch.rendered, "percent": batch.percent,
            "done": batch.rendered_at is not None, "notified": batch.notified_at is not None}


def certificates_issued_in(filing: Filing, start: dt.date, end: dt.date) -> QuerySet[Certificate]:
    """The certificates the filing issued from `start` to `end` inclusive that count (核发): in force, revoked and
    superseded ones left out (a correction's replacement counts once), ordered for the list behind the counts."""
    return (
        Certificate.objects.filter(filing=filing, issued_on__range=(start, end), status=CertificateStatus.VALID)
        .order_by("occupation_code", "issued_on", "number")
    )


def certificate_counts_in(filing: Filing, start: dt.date, end: dt.date) -> dict[str, int]:
    """How many certificates `certificates_issued_in` holds per occupation code, in one grouped query."""
    rows = certificates_issued_in(filing, start, end).order_by().values("occupation_code").annotate(n=Count("id"))
    return {row["occupation_code"]: row["n"] for row in rows}


def without_certificates_since(filings: QuerySet[Filing], since: dt.date) -> QuerySet[Filing]:
    """The filings among `filings`, valid from before `since`, that issued no certificate on or after `since`."""
    recent = Certificate.objects.filter(filing=OuterRef("pk"), issued_on__gte=since)
    return filings.filter(valid_from__lt=since).exclude(Exists(recent))

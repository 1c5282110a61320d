"""The supervision benchmark's data: organizations with filings, plans, rosters with results, certificates and
feedback in one province, written by PostgreSQL itself (INSERT … SELECT generate_series), then one indicator sweep.

At scale 1: 5,000 filed organizations (and 5% more applicants), 10,000,000 certificates (about 12 million
candidates on 180,000 plans: 3 occupations per organization, one plan per occupation and quarter over three years),
1,000,000 feedback rows (80% trainee, 20% employer). Every foreign key points at a real row, every state is one of
its model's, and the figures vary by organization (pass rates, a few outliers) so that the dashboard's funnel plot
and the indicator sweep do their real work. The big tables are loaded without their secondary indexes and
constraints, which are rebuilt afterwards (faster than maintaining them row by row), inside the same transaction.

Used by bench/supervision_scale.py and, at a tiny scale, by tests/bench/test_supervision_data.py.
"""

import datetime as dt
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

FULL_ORGANIZATIONS = 5_000
FULL_CERTIFICATES = 10_000_000
FULL_FEEDBACK = 1_000_000
CREDIT_PREFIX = "91440000BSUP"  # + 5 digits + "X": 18 characters; marks the benchmark's organizations
OFFICER = "bench-sup-province"
CITY_OFFICER = "bench-sup-city"
OWNER = "bench-sup-owner"
PASSWORD = "bench-2026"  # a throwaway benchmark database's officer
OCCUPATIONS = 20
OCCUPATIONS_PER_ORGANIZATION = 3
QUARTERS = 12  # three years of quarters, the last one holding today
PASS_RATE_GUESS = 0.70  # to size the rosters; certificates are then cut at the exact count
APPLICANT_STATES = ("submitted", "city_review", "returned", "city_scoring", "recommended", "province_review",
                    "selected", "in_publicity", "cultivating")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰"


@dataclass(frozen=True)
class Sizes:
    organizations: int
    certificates: int
    feedback: int

    @classmethod
    def at(cls, scale: float, *, organizations: int | None = None, certificates: int | None = None,
           feedback: int | None = None) -> "Sizes":
        return cls(organizations or max(4, round(FULL_ORGANIZATIONS * scale)),
                   certificates or max(50, round(FULL_CERTIFICATES * scale)),
                   feedback if feedback is not None else max(10, round(FULL_FEEDBACK * scale)))


@dataclass
class Report:
    """What was generated and how long each step took (seconds)."""

    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def _execute(sql: str, params: Any = None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def _scalar(sql: str, params: Any = None) -> Any:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


@contextmanager
def deferred_indexes(table: str) -> Iterator[None]:
    """Drop the table's secondary indexes and its unique, check and foreign-key constraints, and rebuild them on
    exit (in the caller's transaction: a failure leaves the table as it was)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check the rows so far: no pending trigger events
        cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid = %s::regclass AND contype IN ('u', 'f', 'c')", [table])
        constraints = cursor.fetchall()
        cursor.execute("SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT EXISTS "
                       "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.conrelid = %s::regclass)",
                       [table, table])
        indexes = cursor.fetchall()
        for name, _definition in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(definition)
        for name, definition in constraints:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute(f"ANALYZE {table}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


class Generator:
    """Fills the database step by step; each step is one or a few INSERT … SELECT statements."""

    def __init__(self, sizes: Sizes, *, today: dt.date, log: Callable[[str], None] = print) -> None:
        self.sizes = sizes
        self.today = today
        self.log = log
        self.report = Report()
        self.first_quarter = self._quarter_start(today, back=QUARTERS - 1)

    @staticmethod
    def _quarter_start(day: dt.date, *, back: int) -> dt.date:
        index = day.year * 4 + (day.month - 1) // 3 - back
        return dt.date(index // 4, index % 4 * 3 + 1, 1)

    def step(self, name: str, action: Callable[[], int]) -> None:
        started = time.perf_counter()
        count = action()
        self.report.seconds[name] = time.perf_counter() - started
        self.report.counts[name] = count
        self.log(f"  {name:<22} {count:>12,} rows  {self.report.seconds[name]:8.1f} s")

    # --- the organizations' side ---

    def setup_people(self) -> None:
        from portal.models import Membership, Occupation, Province, User

        self.province = Province.objects.get(slug="gd")
        self.city_ids = list(self.province.cities.order_by("code").values_list("pk", flat=True))
        codes = list(Occupation.objects.skill_type().order_by("code").values_list("pk", flat=True))
        stride = max(1, len(codes) // OCCUPATIONS)
        self.occupation_ids = codes[::stride][:OCCUPATIONS]
        self.owner, _created = User.objects.get_or_create(username=OWNER)
        for username, role, city in ((OFFICER, "provincial_officer", None),
                                     (CITY_OFFICER, "city_officer", self.city_ids[0])):
            user, _created = User.objects.get_or_create(username=username, defaults={"display_name": username})
            user.set_password(PASSWORD)
            user.save()
            Membership.objects.get_or_create(user=user, province=self.province, role=role, city_id=city)

    def institutions(self) -> int:
        applicants = max(1, self.sizes.organizations // 20)
        return _execute(f"""
            INSERT INTO portal_institution (name, credit_code, category, nature, level, address, legal_representative,
                contact_person, contact_title, contact_phone, contact_email, created_at, updated_at, city_id,
                province_id)
            SELECT '基准监督评价机构' || lpad(g::text, 5, '0'), '{CREDIT_PREFIX}' || lpad(g::text, 5, '0') || 'X',
                'other', 'enterprise', 'city', '广东省基准路' || g || '号', '张三', '李四', '', '020-12345678', '',
                now(), now(), (%(cities)s::bigint[])[1 + g %% %(n_cities)s], %(province)s
            FROM generate_series(1, %(n)s) g""",
            {"cities": self.city_ids, "n_cities": len(self.city_ids), "province": self.province.pk,
             "n": self.sizes.organizations + applicants})

    def _numbered(self) -> str:
        """The benchmark's institutions with their number g (1…), the filed ones first."""
        return (f"(SELECT i.*, substring(i.credit_code, 13, 5)::int AS g FROM portal_institution i "
                f"WHERE i.province_id = {self.province.pk} AND i.credit_code LIKE '{CREDIT_PREFIX}%%')")

    def applications(self) -> int:
        from filings.models import Call

        calls = {}
        for year in range(self.first_quarter.year, self.today.year + 1):
            deadline = dt.datetime(year, 3, 31, 17, tzinfo=dt.UTC)
            calls[year], _created = Call.objects.get_or_create(
                province=self.province, year=year, title=f"{year}年基准遴选批次",
                defaults={"application_deadline": deadline, "city_review_deadline": deadline + dt.timedelta(days=30),
                          "created_by": self.owner})
        years = sorted(calls)
        return _execute(f"""
            INSERT INTO filings_application (category, state, route, prefers_province_route, facts, pledge_signer,
                submission_count, decision_reason, created_at, updated_at, city_id, created_by_id, institution_id,
                province_id, call_id, submitted_at)
            SELECT 'other', CASE WHEN i.g <= %(filed)s THEN 'filed'
                                 ELSE (%(states)s::text[])[1 + i.g %% %(n_states)s] END,
                'city', false, '{{}}', '张三', 1, '', now(), now(), i.city_id, %(owner)s, i.id, i.province_id,
                CASE WHEN i.g <= %(filed)s THEN (%(calls)s::bigint[])[1 + i.g %% %(n_old)s] ELSE %(latest)s END, now()
            FROM {self._numbered()} i""",
            {"filed": self.sizes.organizations, "states": list(APPLICANT_STATES), "n_states": len(APPLICANT_STATES),
             "owner": self.owner.pk, "calls": [calls[y].pk for y in years[:-1] or years],
             "n_old": max(1, len(years) - 1), "latest": calls[years[-1]].pk})

    def filings(self) -> int:
        count = _execute(f"""
            INSERT INTO filings_filing (filing_number, filed_on, valid_from, valid_until, status, exit_kind,
                organization_sequence, institution_code, created_at, updated_at, city_id, institution_id, province_id,
                published_at)
            SELECT '粤人社评备基准' || lpad(i.g::text, 5, '0') || '号', d, d, d + 5 * 365,
                CASE WHEN i.g %% 50 IN (1, 2, 3) THEN 'suspended' WHEN i.g %% 50 = 4 THEN 'exiting' ELSE 'active' END,
                CASE WHEN i.g %% 50 = 4 THEN 'voluntary' ELSE '' END,
                lpad((900000 - i.g)::text, 6, '0'), '', now(), now(), i.city_id, i.id, i.province_id, now()
            FROM {self._numbered()} i, LATERAL (SELECT %(start)s::date - 200 + i.g %% 150 AS d) day
            WHERE i.g <= %(n)s""", {"start": self.first_quarter, "n": self.sizes.organizations})
        _execute("""
            INSERT INTO filings_filingoccupation (levels, added_on, valid_until, filing_id, occupation_id)
            SELECT '[3, 4, 5]', f.filed_on, f.valid_until, f.id,
                (%(occupations)s::bigint[])[1 + (substring(f.filing_number, 8, 5)::int + k * 7) %% %(n_occ)s]
            FROM filings_filing f CROSS JOIN generate_series(0, %(per)s - 1) k
            WHERE f.province_id = %(province)s AND f.filing_number LIKE '粤人社评备基准%%'""",
            {"occupations": self.occupation_ids, "n_occ": len(self.occupation_ids),
             "per": OCCUPATIONS_PER_ORGANIZATION, "province": self.province.pk})
        return count

    # --- exams, results, certificates, feedback ---

    def plans(self) -> int:
        """One plan per filed occupation and quarter; the state follows the last exam day (results published and
        approved long ago, in publicity or review lately, not yet examined this month)."""
        return _execute("""
            INSERT INTO certificates_examplan (title, levels, evaluation_process, state, version, officer_note,
                returned_by, created_at, updated_at, created_by_id, filing_id, institution_id, occupation_id,
                province_id, city_id, first_session_on, last_session_on, filed_at)
            SELECT '基准考核 ' || f.id || '-' || fo.occupation_id || '-' || q, '[3, 4, 5]', '',
                CASE WHEN d.first + 1 > %(today)s THEN 'acknowledged'
                     WHEN d.first + 1 > %(today)s - 20 THEN 'results_entry'
                     WHEN d.first + 1 > %(today)s - 30 THEN 'in_publicity'
                     WHEN d.first + 1 > %(today)s - 40 THEN 'province_review'
                     ELSE 'approved' END,
                1, '', '', now(), now(), %(owner)s, f.id, f.institution_id, fo.occupation_id, f.province_id, f.city_id,
                d.first, d.first + 1, now()
            FROM filings_filing f
            JOIN filings_filingoccupation fo ON fo.filing_id = f.id
            CROSS JOIN generate_series(0, %(quarters)s - 1) q
            CROSS JOIN LATERAL (SELECT (%(start)s::date + (3 * q || ' months')::interval)::date
                                       + ((f.id * 7 + fo.occupation_id * 13 + q * 5) %% 80)::int AS first) d
            WHERE f.province_id = %(province)s AND f.filing_number LIKE '粤人社评备基准%%'
              AND d.first <= %(today)s + 25""",
            {"today": self.today, "owner": self.owner.pk, "quarters": QUARTERS, "start": self.first_quarter,
             "province": self.province.pk})

    def candidates(self) -> int:
        examined = _scalar("SELECT count(*) FROM certificates_examplan WHERE province_id = %s AND state = 'approved' "
                           "AND title LIKE '基准考核 %%'", [self.province.pk])
        self.per_plan = max(2, math.ceil(self.sizes.certificates / max(1, examined) / PASS_RATE_GUESS * 1.05))
        # h: a pseudo-random number per candidate; bias: each organization's own level (a few far above the rest)
        with deferred_indexes("certificates_candidate"):
            return _execute("""
                INSERT INTO certificates_candidate (plan_id, line, name, id_type, id_number, gender, phone, level,
                    training_class, certified_warning_confirmed, theory_score, theory_absent, practical_score,
                    practical_absent, review_score, review_absent, passed, withheld_reason)
                SELECT p.id, s, substr(%(surnames)s::text, (1 + (p.id + s) %% 20)::int, 1)
                        || substr(%(given)s::text, (1 + s %% 20)::int, 1)
                        || substr(%(given)s::text, (1 + (p.id * 3 + s) %% 20)::int, 1),
                    'resident_id', '44' || lpad((p.id * 1000 + s)::text, 16, '0'), CASE WHEN s %% 2 = 0 THEN 'M' ELSE 'F' END,
                    '13' || lpad(((p.id * 1000 + s) %% 1000000000)::text, 9, '0'), 3 + s %% 3, '', false,
                    CASE WHEN r.done AND NOT r.absent THEN r.theory END, r.done AND r.absent,
                    CASE WHEN r.done AND NOT r.absent THEN least(100, r.theory + r.h %% 9 - 3) END, r.done AND r.absent,
                    NULL, false,
                    CASE WHEN r.done THEN NOT r.absent AND r.theory >= 60 AND r.theory + r.h %% 9 - 3 >= 60 END, ''
                FROM certificates_examplan p
                CROSS JOIN generate_series(1, %(per)s) s
                CROSS JOIN LATERAL (SELECT (p.id * 7919 + s * 104729) %% 1000 AS h,
                    CASE WHEN p.institution_id %% 97 = 0 THEN 25 ELSE p.institution_id %% 9 END AS bias) x
                CROSS JOIN LATERAL (SELECT x.h, least(100, 48 + (x.h * 13) %% 52 + x.bias) AS theory,
                    x.h %% 37 = 0 AS absent, p.state <> 'acknowledged' AND p.state <> 'results_entry' AS done) r
                WHERE p.province_id = %(province)s AND p.title LIKE '基准考核 %%'""",
                {"surnames": SURNAMES, "given": GIVEN, "per": self.per_plan, "province": self.province.pk})

    def _issue_plan_table(self) -> None:
        """bench_issue(plan_id, take): approved plans, oldest first, until the certificate count is reached."""
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("""
                SELECT p.id, count(*) FILTER (WHERE c.passed) FROM certificates_examplan p
                JOIN certificates_candidate c ON c.plan_id = p.id
                WHERE p.province_id = %s AND p.state = 'approved' AND p.title LIKE '基准考核 %%'
                GROUP BY p.id, p.last_session_on ORDER BY p.last_session_on, p.id""", [self.province.pk])
            rows = cursor.fetchall()
            left, takes = self.sizes.certificates, []
            for plan_id, passed in rows:
                if left <= 0:
                    break
                takes.append((plan_id, min(passed, left)))
                left -= min(passed, left)
            cursor.execute("CREATE TEMPORARY TABLE bench_issue (plan_id bigint PRIMARY KEY, take int) ON COMMIT DROP")
        from portal.copy import copy_rows

        copy_rows("bench_issue", ("plan_id", "take"), takes)

    def certificates(self) -> int:
        self._issue_plan_table()
        _execute("""
            INSERT INTO certificates_issuancebatch (kind, issued_on, total, rendered, number_ranges, created_at,
                created_by_id, filing_id, institution_id, province_id, plan_id, rendered_at)
            SELECT 'issue', p.last_session_on + 21, t.take, t.take, '[]', now(), %(owner)s, p.filing_id,
                p.institution_id, p.province_id, p.id, now()
            FROM bench_issue t JOIN certificates_examplan p ON p.id = t.plan_id""", {"owner": self.owner.pk})
        with deferred_indexes("certificates_certificate"):
            return _execute("""
                INSERT INTO certificates_certificate (number, holder_name, id_type, id_number, occupation_code,
                    occupation_name, work_type_name, level, organization_name, issued_on, photo, status,
                    revocation_reason_code, revocation_reason, payload, pdf, created_at, candidate_id, filing_id,
                    institution_id, occupation_id, province_id, batch_id)
                SELECT 'S44' || lpad(c.id::text, 12, '0'), c.name, c.id_type, c.id_number, o.code, o.name, '--',
                    c.level, i.name, b.issued_on, '', 'valid', '', '', '', '', now(), c.id, p.filing_id,
                    p.institution_id, p.occupation_id, p.province_id, b.id
                FROM bench_issue t
                JOIN certificates_examplan p ON p.id = t.plan_id
                JOIN certificates_issuancebatch b ON b.plan_id = p.id
                JOIN portal_institution i ON i.id = p.institution_id
                JOIN portal_occupation o ON o.id = p.occupation_id
                CROSS JOIN LATERAL (SELECT c.* FROM certificates_candidate c WHERE c.plan_id = p.id AND c.passed
                                    ORDER BY c.line LIMIT t.take) c""")

    def feedback(self) -> int:
        trainee = self.sizes.feedback * 4 // 5
        employer = self.sizes.feedback - trainee
        total = _scalar("SELECT count(*) FROM certificates_certificate WHERE province_id = %s", [self.province.pk])
        every = max(1, total // max(1, trainee))
        with deferred_indexes("supervision_traineefeedback"):
            count = _execute("""
                INSERT INTO supervision_traineefeedback (certified_on, employment_status, employer_name,
                    employer_credit_code, job_matches, wage_band, training_satisfaction, evaluation_satisfaction,
                    comment, submitted_at, editable_until, updated_at, certificate_id, institution_id, occupation_id,
                    province_id)
                SELECT c.issued_on, s.status, '', '', CASE WHEN s.employed THEN h %% 4 <> 0 END,
                    CASE WHEN s.employed THEN 1 + h %% 5 END, 3 + h %% 3, 2 + (h / 3) %% 4, '',
                    c.issued_on + interval '30 days', c.issued_on + interval '60 days',
                    c.issued_on + interval '30 days', c.id, c.institution_id, c.occupation_id, c.province_id
                FROM certificates_certificate c
                CROSS JOIN LATERAL (SELECT (c.id * 7919) %% 1000 AS h) x
                CROSS JOIN LATERAL (SELECT CASE WHEN h %% 10 < 6 THEN 'employed' WHEN h %% 10 < 8 THEN 'self_employed'
                                                WHEN h %% 10 = 8 THEN 'unemployed' ELSE 'studying' END AS status,
                                           h %% 10 < 8 AS employed) s
                WHERE c.province_id = %(province)s AND c.id %% %(every)s = 0 LIMIT %(n)s""",
                {"province": self.province.pk, "every": every, "n": trainee})
        every = max(1, total // max(1, employer))
        with deferred_indexes("supervision_employerfeedback"):
            count += _execute("""
                INSERT INTO supervision_employerfeedback (certified_on, employer_name, employer_credit_code,
                    contact_name, contact_phone, skill_match, would_hire_again, submitted_at, updated_at,
                    certificate_id, institution_id, occupation_id, province_id)
                SELECT c.issued_on, '基准用人单位' || (c.id %% 1000), '91440000EMPL' || lpad((c.id %% 1000)::text, 5, '0')
                    || 'X', '王经理', '020-88888888', 2 + c.id %% 4, c.id %% 5 <> 0, c.issued_on + interval '40 days',
                    c.issued_on + interval '40 days', c.id, c.institution_id, c.occupation_id, c.province_id
                FROM certificates_certificate c
                WHERE c.province_id = %(province)s AND c.id %% %(every)s = %(offset)s LIMIT %(n)s""",
                {"province": self.province.pk, "every": every, "offset": min(1, every - 1), "n": employer})
        return count

    def indicators(self) -> int:
        from supervision import services

        run = services.refresh_indicators()
        return int(run.cells)


def already_loaded() -> bool:
    from portal.models import Institution

    return Institution.objects.filter(credit_code__startswith=CREDIT_PREFIX).exists()


def indicators_built() -> bool:
    from supervision.models import IndicatorRun

    return IndicatorRun.objects.exists()


def build_indicators() -> float:
    """The first indicator sweep over everything (when a load stopped before it); returns its seconds."""
    from supervision import services

    started = time.perf_counter()
    services.refresh_indicators()
    return time.perf_counter() - started


def generate(sizes: Sizes, *, today: dt.date | None = None, log: Callable[[str], None] = print) -> Report:
    """Load the benchmark data in one transaction (the caller's database must be migrated and hold none of it)."""
    from django.db import transaction
    from django.utils import timezone

    from portal.reference_data import ensure_reference_data

    ensure_reference_data()
    generator = Generator(sizes, today=today or timezone.localdate(), log=log)
    with transaction.atomic():
        generator.setup_people()
        for name in ("institutions", "applications", "filings", "plans", "candidates", "certificates", "feedback"):
            generator.step(name, getattr(generator, name))
    for table in ("portal_institution", "filings_filing", "filings_application", "certificates_examplan",
                  "certificates_issuancebatch"):
        _execute(f"ANALYZE {table}")
    generator.step("indicators", generator.indicators)
    return generator.report

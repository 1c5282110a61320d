"""Benchmark: issuing 10,000 certificates (numbers and rows) through certificates.services.issue_certificates, against
a plain PostgreSQL COPY of the same rows into the same table, measured in the same run (and, for reference, Django's
bulk_create of the same rows).

    DATABASE_URL=postgres://... .venv/bin/python bench/certificate_issuance.py [--rows 10000] [--repeat 5]

The database must be migrated (manage.py migrate). Everything the benchmark creates is rolled back at the end; the
PDF pipeline, queued on commit, never starts. Prints the median of each timing and the ratios (target: issuing at
most 3× the COPY; see docs/performance.md).
"""

import argparse
import datetime as dt
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")


class Rollback(Exception):
    pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-bulk-create", action="store_true", help="skip the bulk_create reference timing")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("Set DATABASE_URL to a migrated PostgreSQL database.", file=sys.stderr)
        return 2

    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone
    from stdnum.cn import ric, uscc

    from certificates import services
    from certificates.models import Candidate, Certificate, ExamPlan, IssuanceBatch, PlanState
    from filings.models import Filing
    from portal.copy import copy_field
    from portal.models import Institution, Membership, Occupation, Province, User
    from portal.reference_data import ensure_reference_data

    ensure_reference_data()
    timings: dict[str, list[float]] = {"copy": [], "issue": [], "bulk_create": []}
    try:
        with transaction.atomic():
            province = Province.objects.get(slug="gd")
            city = province.cities.order_by("code").first()
            assert city is not None
            body = "91440100BENCH0002"
            institution = Institution.objects.create(
                province=province, city=city, name="基准测试职业技能评价中心", category="other",
                credit_code=body + uscc.calc_check_digit(body), nature="private_non_enterprise", level="city",
                address="广州", legal_representative="张三", contact_person="李四", contact_phone="020-1234567")
            user = User.objects.create(username="bench-certificate-issuance")
            Membership.objects.create(user=user, province=province, role="institution_member", institution=institution)
            occupation = Occupation.objects.get(code="6-18-02-04")
            today = timezone.localdate()
            filing = Filing.objects.create(
                province=province, institution=institution, city=city, filing_number="BENCH-CERT-1", filed_on=today,
                valid_from=today, valid_until=today + dt.timedelta(days=1000), organization_sequence="999998")
            ids = []
            for i in range(args.rows):
                number = f"440106{dt.date(1970, 1, 1) + dt.timedelta(days=i // 10):%Y%m%d}{100 + i % 10:03d}"
                ids.append(number + ric.calc_check_digit(number + "0"))
            round_no = 0

            def approved_plan() -> ExamPlan:
                """A fresh approved plan with the passed candidates (issued results are no longer issuable)."""
                nonlocal round_no
                round_no += 1
                plan = ExamPlan.objects.create(
                    province=province, institution=institution, filing=filing, city=city, occupation=occupation,
                    title=f"基准考核{round_no}", levels=[3], state=PlanState.APPROVED, created_by=user)
                data = io.StringIO("".join(
                    f"{plan.pk}\t{n}\t考生{n:05d}\tresident_id\t{id_number}\tM\t139{n:08d}\t3\t\tf\tf\tf\tf\t\tt\n"
                    for n, id_number in enumerate(ids, start=1)))
                with connection.cursor() as cursor:
                    cursor.cursor.copy_expert(
                        f"COPY {Candidate._meta.db_table} (plan_id, line, name, id_type, id_number, gender, phone, "
                        "level, training_class, certified_warning_confirmed, theory_absent, practical_absent, "
                        "review_absent, withheld_reason, passed) FROM STDIN", data)
                    # Fresh statistics, as autovacuum keeps them in production: planned against tables it believes
                    # empty (rows COPY'd inside this open transaction), the "not yet certified" anti-join would scan
                    # the whole certificate index once per candidate.
                    cursor.execute(f"ANALYZE {Candidate._meta.db_table}, {Certificate._meta.db_table}")
                return plan

            def certificate_rows(plan: ExamPlan, year: int) -> tuple[tuple[object, ...], list[tuple[object, ...]]]:
                """The rows issue_certificates builds, for the baselines (numbers of another year: no clash)."""
                batch = IssuanceBatch.objects.create(
                    province=province, filing=filing, institution=institution, plan=plan, issued_on=today,
                    total=args.rows, created_by=user)
                constants = (province.pk, filing.pk, institution.pk, batch.pk, institution.name, today,
                             timezone.now(), "valid", "", "", "", "")
                candidates = Candidate.objects.filter(plan=plan).order_by("line").values_list(
                    "pk", "name", "id_type", "id_number")
                rows = [(pk, f"S000044999998{year:02d}3{n:06d}", name, id_type, id_number, occupation.pk,
                         occupation.code, occupation.name, "--", 3, "")
                        for n, (pk, name, id_type, id_number) in enumerate(candidates, start=1)]
                return constants, rows

            def copy_once(year: int) -> float:
                constants, rows = certificate_rows(approved_plan(), year)
                head = "\t".join(copy_field(v) for v in constants) + "\t"
                text = "".join(head + "\t".join(copy_field(v) for v in row) + "\n" for row in rows)
                table = Certificate._meta.db_table
                columns = ", ".join(services.CERTIFICATE_COPY_COLUMNS)
                start = time.perf_counter()
                with connection.cursor() as cursor:
                    cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", io.StringIO(text))
                return time.perf_counter() - start

            def bulk_create_once(year: int) -> float:
                constants, rows = certificate_rows(approved_plan(), year)
                objects = [Certificate(**dict(zip(services.CERTIFICATE_COPY_COLUMNS, (*constants, *row), strict=True)))
                           for row in rows]
                start = time.perf_counter()
                Certificate.objects.bulk_create(objects, batch_size=1000)
                return time.perf_counter() - start

            def issue_once() -> float:
                plan = approved_plan()
                start = time.perf_counter()
                batch = services.issue_certificates(filing, acting_user=user, plan=plan)
                elapsed = time.perf_counter() - start
                assert batch.total == args.rows
                return elapsed

            copy_once(90), issue_once()  # warm up caches and connections
            for n in range(args.repeat):
                timings["copy"].append(copy_once(91 + n))
                timings["issue"].append(issue_once())
                if not args.no_bulk_create:
                    timings["bulk_create"].append(bulk_create_once(60 + n))
            raise Rollback
    except Rollback:
        pass
    copy_ms = statistics.median(timings["copy"]) * 1000
    issue_ms = statistics.median(timings["issue"]) * 1000
    print(f"rows: {args.rows}, repeats: {args.repeat} (medians)")
    print(f"PostgreSQL COPY of the certificate rows:        {copy_ms:8.1f} ms")
    print(f"issue_certificates (numbers + rows + audit):    {issue_ms:8.1f} ms   ratio {issue_ms / copy_ms:.2f}x")
    if timings["bulk_create"]:
        bulk_ms = statistics.median(timings["bulk_create"]) * 1000
        print(f"bulk_create of the same rows (reference):       {bulk_ms:8.1f} ms   ratio {bulk_ms / copy_ms:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

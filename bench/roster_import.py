"""Benchmark: importing a 10,000-row roster (parse, validate every row, check the database, store) against a plain
PostgreSQL COPY of the same rows, measured in the same run on the same table.

    DATABASE_URL=postgres://... .venv/bin/python bench/roster_import.py [--rows 10000] [--repeat 5]

The database must be migrated (manage.py migrate). Everything the benchmark creates is rolled back at the end.
Prints the median of each timing and their ratio (the target is at most 3×; see docs/performance.md).
"""

import argparse
import csv
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
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("Set DATABASE_URL to a migrated PostgreSQL database.", file=sys.stderr)
        return 2

    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone
    from stdnum.cn import ric, uscc

    from certificates import imports, services
    from certificates.models import Candidate, ExamPlan, SessionKind
    from filings.models import Filing, FilingOccupation
    from portal.models import Institution, Membership, Occupation, Province, User
    from portal.reference_data import ensure_reference_data

    ensure_reference_data()
    results: dict[str, list[float]] = {"copy": [], "import": []}
    try:
        with transaction.atomic():
            province = Province.objects.get(slug="sd")
            city = province.cities.order_by("code").first()
            assert city is not None
            body = "91370100BENCH0001"
            institution = Institution.objects.create(
                province=province, city=city, name="基准测试评价机构", credit_code=body + uscc.calc_check_digit(body),
                category="private_training", nature="private_non_enterprise", level="city", address="济南",
                legal_representative="张三", contact_person="李四", contact_phone="0531-1234567")
            user = User.objects.create(username="bench-roster-import")
            Membership.objects.create(user=user, province=province, role="institution_member", institution=institution)
            occupation = Occupation.objects.filter(is_skill_type=True).order_by("code").first()
            assert occupation is not None
            today = timezone.localdate()
            filing = Filing.objects.create(
                province=province, institution=institution, city=city, filing_number="BENCH-1", filed_on=today,
                valid_from=today, valid_until=today + dt.timedelta(days=1000), organization_sequence="999999")
            FilingOccupation.objects.create(filing=filing, occupation=occupation, levels=[5, 4, 3], added_on=today,
                                            valid_until=filing.valid_until)
            venue = services.create_venue(institution, acting_user=user, name="基准场所", address="经十路1号", city=city)

            def new_plan() -> ExamPlan:
                # a fresh plan per measurement: deleting and re-inserting the same keys in one transaction would
                # make every unique-index check walk the dead rows, and slow both sides alike
                plan = services.create_plan(filing, acting_user=user, occupation=occupation, levels=[4])
                services.add_session(plan, acting_user=user, kind=SessionKind.THEORY,
                                     date=today + dt.timedelta(days=30), start_time=dt.time(9), end_time=dt.time(11),
                                     venue=venue, room="101", capacity=args.rows)
                return plan

            # the same rows twice: as the organization's CSV file, and as COPY's text for the baseline
            header = list(imports.ROSTER_COLUMNS)
            rows = []
            for i in range(args.rows):
                number = f"370102{dt.date(1970, 1, 1) + dt.timedelta(days=i // 10):%Y%m%d}{100 + i % 10:03d}"
                number += ric.calc_check_digit(number + "0")
                rows.append([f"考生{i:05d}", "居民身份证", number, "男" if int(number[16]) % 2 else "女",
                             f"139{i:08d}", occupation.name, "四级/中级工", "2026年第1期"])
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(header)
            writer.writerows(rows)
            content = buffer.getvalue().encode("utf-8")
            copy_rows = [
                "\t".join(("{plan}", str(n), r[0], "resident_id", r[2], "M" if r[3] == "男" else "F", r[4], "4",
                           r[7], "f", "f", "f", "f", "")) + "\n"
                for n, r in enumerate(rows, start=2)]

            def copy_once() -> float:
                plan = new_plan()
                data = io.StringIO("".join(copy_rows).replace("{plan}", str(plan.pk)))
                start = time.perf_counter()
                with connection.cursor() as cursor:
                    cursor.cursor.copy_expert(services.COPY_CANDIDATES_SQL, data)
                elapsed = time.perf_counter() - start
                assert Candidate.objects.filter(plan=plan).count() == args.rows
                return elapsed

            def import_once() -> float:
                plan = new_plan()
                start = time.perf_counter()
                result = services.import_roster(plan, acting_user=user, content=content, filename="bench.csv")
                elapsed = time.perf_counter() - start
                assert result.count == args.rows
                return elapsed

            copy_once(), import_once()  # warm up caches and connections
            for _ in range(args.repeat):
                results["copy"].append(copy_once())
                results["import"].append(import_once())
            raise Rollback
    except Rollback:
        pass
    copy_ms = statistics.median(results["copy"]) * 1000
    import_ms = statistics.median(results["import"]) * 1000
    print(f"rows: {args.rows}, repeats: {args.repeat} (medians)")
    print(f"PostgreSQL COPY of the rows:          {copy_ms:8.1f} ms")
    print(f"roster import (parse+validate+store): {import_ms:8.1f} ms")
    print(f"ratio: {import_ms / copy_ms:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

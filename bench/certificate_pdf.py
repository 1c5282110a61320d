"""Benchmark: rendering a certificate PDF through the pipeline's step (certificates.services.render_certificate:
read the row, sign the QR payload, make the QR code, render the template, WeasyPrint, store the file, count it on the
batch) against a bare WeasyPrint render of the same HTML, measured in the same run; and the size of each PDF.

    DATABASE_URL=postgres://... .venv/bin/python bench/certificate_pdf.py [--count 20]

The database must be migrated (manage.py migrate). Rows are rolled back at the end; the PDFs are written under the
settings' PRIVATE_STORAGE_ROOT (a temporary directory with the test settings). Prints the medians, their ratio
(target: at most 1.3×) and the largest PDF (target: under 200 KB).
"""

import argparse
import datetime as dt
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
    parser.add_argument("--count", type=int, default=20, help="certificates to render (each side)")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("Set DATABASE_URL to a migrated PostgreSQL database.", file=sys.stderr)
        return 2

    import django

    django.setup()
    import logging

    logging.getLogger("weasyprint").setLevel(logging.WARNING)  # its progress lines would be timed on both sides
    from django.db import transaction
    from django.utils import timezone
    from stdnum.cn import ric, uscc
    from weasyprint import HTML

    from certificates import services
    from certificates.models import Candidate, Certificate, ExamPlan, PlanState
    from certificates.pdf import render_certificate_html
    from filings.models import Filing
    from portal.models import Institution, Membership, Occupation, Province, User
    from portal.reference_data import ensure_reference_data

    ensure_reference_data()
    pipeline: list[float] = []
    bare: list[float] = []
    sizes: list[int] = []
    try:
        with transaction.atomic():
            province = Province.objects.get(slug="gd")
            city = province.cities.order_by("code").first()
            assert city is not None
            body = "91440100BENCH0003"
            institution = Institution.objects.create(
                province=province, city=city, name="广东省智能制造产业协会职业技能评价中心", category="other",
                credit_code=body + uscc.calc_check_digit(body), nature="social_group", level="city", address="广州",
                legal_representative="张三", contact_person="李四", contact_phone="020-1234567")
            user = User.objects.create(username="bench-certificate-pdf")
            Membership.objects.create(user=user, province=province, role="institution_member", institution=institution)
            occupation = Occupation.objects.get(code="6-18-02-04")
            today = timezone.localdate()
            filing = Filing.objects.create(
                province=province, institution=institution, city=city, filing_number="BENCH-PDF-1", filed_on=today,
                valid_from=today, valid_until=today + dt.timedelta(days=1000), organization_sequence="999997")
            plan = ExamPlan.objects.create(province=province, institution=institution, filing=filing, city=city,
                                           occupation=occupation, title="基准考核", levels=[3],
                                           state=PlanState.APPROVED, created_by=user)
            surnames, given = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"
            for n in range(args.count + 1):
                number = f"440106{dt.date(1990, 1, 1) + dt.timedelta(days=n):%Y%m%d}{n % 1000:03d}"
                Candidate.objects.create(
                    plan=plan, line=n + 1, name=surnames[n % len(surnames)] + given[n % len(given)] + given[(n * 7) % len(given)],
                    id_number=number + ric.calc_check_digit(number + "0"), gender="M", phone=f"139{n:08d}", level=3,
                    passed=True)
            batch = services.issue_certificates(filing, acting_user=user, plan=plan)
            key = services.active_signing_key(province)
            pks = list(Certificate.objects.filter(batch=batch).order_by("number").values_list("pk", flat=True))
            services.render_certificate(pks[0], key=key)  # warm up: fonts, templates, connections
            HTML(string=render_certificate_html(Certificate.objects.get(pk=pks[0])), base_url=".").write_pdf()
            for pk in pks[1:]:
                start = time.perf_counter()
                services.render_certificate(pk, key=key)
                pipeline.append(time.perf_counter() - start)
                certificate = Certificate.objects.select_related("province").get(pk=pk)
                sizes.append(certificate.pdf.size)
                html = render_certificate_html(certificate)  # the same HTML, outside the timing
                start = time.perf_counter()
                HTML(string=html, base_url=".").write_pdf()
                bare.append(time.perf_counter() - start)
            raise Rollback
    except Rollback:
        pass
    pipeline_ms, bare_ms = statistics.median(pipeline) * 1000, statistics.median(bare) * 1000
    print(f"certificates: {len(pipeline)} (medians)")
    print(f"bare WeasyPrint of the same HTML:          {bare_ms:8.1f} ms")
    print(f"render_certificate (sign+QR+HTML+PDF+store): {pipeline_ms:6.1f} ms   ratio {pipeline_ms / bare_ms:.2f}x")
    print(f"PDF size: largest {max(sizes) / 1024:.1f} KB, smallest {min(sizes) / 1024:.1f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

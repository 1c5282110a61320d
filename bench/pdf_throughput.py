"""Benchmark: certificate PDFs per second through the real pipeline on N Celery worker processes, against N
processes running bare WeasyPrint on the same HTML, measured side by side in the same run.

    DATABASE_URL=postgres://... REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/pdf_throughput.py \
        [--certificates 1000] [--processes 2] [--rounds 2] [--json PATH]

Each round issues a fresh batch through certificates.services.issue_certificates while a `celery worker -c N`
(prefork) runs; the pipeline (parts of 10 certificates, each signed, QR-coded, rendered, stored and counted on the
batch) is timed from the commit to the batch's `rendered_at`, sampling the progress counter as it goes. Then the same
certificates' HTML (made outside the timing) is rendered by a pool of N processes calling
`weasyprint.HTML(string=…).write_pdf()`. Target: the pipeline at ≥ 0.9× the bare rate; every PDF ≤ 200 KB.

--json PATH writes the rounds (rates, seconds per PDF per process, sizes) for bench/capacity.py.

The database must be a migrated throwaway one: the batches stay (the script makes an organization of its own).
"""

import argparse
import datetime as dt
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _bare_render(html: str) -> int:
    from weasyprint import HTML

    return len(HTML(string=html, base_url=".").write_pdf())


def _pool_init() -> None:
    import logging

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    _bare_render("<p>预热</p>")  # fonts loaded before the timing, as a started worker has them


def _setup_organization(candidates: int, round_no: int) -> tuple[object, object, object]:
    from django.utils import timezone
    from stdnum.cn import ric, uscc

    from certificates.models import Candidate, ExamPlan, PlanState
    from filings.models import Filing
    from portal.models import Institution, Membership, Occupation, Province, User

    province = Province.objects.get(slug="gd")
    city = province.cities.order_by("code").first()
    stamp = f"{int(time.time()) % 100000:05d}{round_no}"
    body = f"914401PDF{stamp}"[:17]
    institution = Institution.objects.create(
        province=province, city=city, name=f"基准PDF吞吐评价机构{stamp}", category="other",
        credit_code=body + uscc.calc_check_digit(body), nature="social_group", level="city", address="广州",
        legal_representative="张三", contact_person="李四", contact_phone="020-1234567")
    user = User.objects.create(username=f"bench-pdf-{stamp}")
    Membership.objects.create(user=user, province=province, role="institution_member", institution=institution)
    today = timezone.localdate()
    filing = Filing.objects.create(
        province=province, institution=institution, city=city, filing_number=f"BENCH-PDF-{stamp}", filed_on=today,
        valid_from=today, valid_until=today + dt.timedelta(days=1000), organization_sequence=f"9{stamp}"[:6])
    plan = ExamPlan.objects.create(province=province, institution=institution, filing=filing, city=city,
                                   occupation=Occupation.objects.get(code="6-18-02-04"), title="基准PDF吞吐",
                                   levels=[3], state=PlanState.APPROVED, created_by=user)
    surnames, given = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"
    Candidate.objects.bulk_create([
        Candidate(plan=plan, line=n + 1, name=surnames[n % 20] + given[n % 24] + given[(n * 7) % 24],
                  id_number=(number := f"440106{dt.date(1970, 1, 1) + dt.timedelta(days=n):%Y%m%d}{n % 1000:03d}")
                  + ric.calc_check_digit(number + "0"), gender="M", phone=f"139{n:08d}", level=3, passed=True)
        for n in range(candidates)])
    return filing, plan, user


def _pipeline_round(args: argparse.Namespace, round_no: int) -> tuple[float, list[int], list[tuple[float, int]]]:
    from certificates import services
    from certificates.models import Certificate, IssuanceBatch

    filing, plan, user = _setup_organization(args.certificates, round_no)
    started = time.perf_counter()
    batch = services.issue_certificates(filing, acting_user=user, plan=plan)  # autocommit: queued at once
    progress: list[tuple[float, int]] = []
    while True:
        row = IssuanceBatch.objects.values("rendered", "rendered_at").get(pk=batch.pk)
        progress.append((time.perf_counter() - started, row["rendered"]))
        if row["rendered_at"] is not None:
            break
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    sizes = [c.pdf.size for c in Certificate.objects.filter(batch=batch)]
    return elapsed, sizes, progress


def _bare_round(args: argparse.Namespace, batch_id: int) -> float:
    from certificates.models import Certificate
    from certificates.pdf import render_certificate_html

    html = [render_certificate_html(c) for c in Certificate.objects.filter(batch_id=batch_id)
            .select_related("province").order_by("number")]
    with multiprocessing.get_context("fork").Pool(args.processes, initializer=_pool_init) as pool:
        pool.map(_bare_render, html[:args.processes])  # every process warm
        started = time.perf_counter()
        pool.map(_bare_render, html, chunksize=1)
        return time.perf_counter() - started


def _round_record(args: argparse.Namespace, elapsed: float, bare: float, sizes: list[int]) -> dict[str, float]:
    """One round as --json writes it: rates, seconds of one process per PDF, sizes."""
    return {"pipeline_pdfs_per_s": args.certificates / elapsed, "bare_pdfs_per_s": args.certificates / bare,
            "ratio": bare / elapsed, "pipeline_s_per_pdf_per_process": elapsed * args.processes / args.certificates,
            "bare_s_per_pdf_per_process": bare * args.processes / args.certificates,
            "size_min_kb": min(sizes) / 1024, "size_max_kb": max(sizes) / 1024}


def _write_json(args: argparse.Namespace, rounds: list[dict[str, float]]) -> None:
    median = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]} if rounds else {}
    median.update(size_min_kb=min(r["size_min_kb"] for r in rounds), size_max_kb=max(r["size_max_kb"] for r in rounds))
    document = {"benchmark": "pdf_throughput", "date": f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
                "load_average": os.getloadavg()[0], "cpu_count": os.cpu_count(), "certificates": args.certificates,
                "processes": args.processes, "rounds": rounds, "median": median}
    Path(args.json).write_text(json.dumps(document, indent=2) + "\n")
    print(f"written: {args.json}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--certificates", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON (for bench/capacity.py)")
    args = parser.parse_args()
    redis = os.environ.get("REDIS_URL", "")
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")) or not redis:
        print("Set DATABASE_URL (a migrated throwaway PostgreSQL database) and REDIS_URL.", file=sys.stderr)
        return 2
    storage = tempfile.mkdtemp(prefix="bench-pdf-")
    os.environ.update(DJANGO_SETTINGS_MODULE="bench.worker_settings", CELERY_BROKER_URL=redis,
                      BENCH_STORAGE_ROOT=storage, PYTHONPATH=str(ROOT))
    import django

    django.setup()
    import logging

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    from certificates.models import IssuanceBatch
    from portal.reference_data import ensure_reference_data

    ensure_reference_data()
    log = Path(storage) / "worker.log"
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "celery"), "-A", "portal", "worker", "-P", "prefork", "-c",
         str(args.processes), "-n", "bench-pdf@%h", "--without-gossip", "--without-mingle", "-l", "INFO"],
        cwd=ROOT, env=os.environ.copy(), stdout=log.open("wb"), stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while "ready." not in log.read_text(errors="replace"):
            if time.monotonic() > deadline or worker.poll() is not None:
                print(log.read_text(errors="replace")[-3000:], file=sys.stderr)
                return 1
            time.sleep(0.2)
        _pipeline_round(argparse.Namespace(**{**vars(args), "certificates": 2 * args.processes}), 0)  # warm-up
        rounds: list[dict[str, float]] = []
        for round_no in range(1, args.rounds + 1):
            elapsed, sizes, progress = _pipeline_round(args, round_no)
            batch_id = IssuanceBatch.objects.order_by("-pk").values_list("pk", flat=True)[0]
            bare = _bare_round(args, batch_id)
            steps = sorted({n for _t, n in progress})
            rounds.append(_round_record(args, elapsed, bare, sizes))
            print(f"round {round_no}: {args.certificates} PDFs on {args.processes} processes — "
                  f"pipeline {elapsed:6.1f} s ({args.certificates / elapsed:5.2f}/s), "
                  f"bare WeasyPrint {bare:6.1f} s ({args.certificates / bare:5.2f}/s), "
                  f"ratio {bare / elapsed:.2f}× the bare rate (target ≥ 0.9×); "
                  f"PDF size {min(sizes) / 1024:.1f}–{max(sizes) / 1024:.1f} KB; "
                  f"progress counter seen at {len(steps)} distinct values")
    finally:
        worker.terminate()
        worker.wait(30)
    print(f"date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; load average {os.getloadavg()[0]:.1f}")
    if args.json:
        _write_json(args, rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark: the public certificate lookup under load, at a million certificates, against a bare Django view.

    DATABASE_URL=postgres://... .venv/bin/python bench/lookup_load.py [--certificates 1000000] [--duration 15]
    DATABASE_URL=... REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/lookup_load.py --production \
        --certificates 10000000     # 10 million rows written by PostgreSQL (INSERT … SELECT generate_series)

1. Loads N certificates (default 1,000,000, with their candidates) into the PostgreSQL named by DATABASE_URL with
   COPY, once: a later run finds them (an organization with the credit code 91440100BENCHLOAD8) and skips the load.
   Use a throwaway database: the rows stay (loading takes minutes).
2. Starts gunicorn on 127.0.0.1 with bench.settings (DEBUG off, the portal's URLs plus /bench/bare/).
3. Drives, with wrk (Debian's; installed with apt-get when missing and running as root), in alternating rounds:
   - the lookup page: POST /verify/ by certificate number + holder name (CSRF token, rate limit, lookup log, the
     full page with the result card and its verify checklist), cycling through 2,000 real number/name pairs whose
     certificates carry a signed QR payload (signed here once), so each lookup checks the signature as in production;
   - the bare view: POST /bench/bare/ with the same bodies (CSRF, one indexed query, a trivial template);
   - the lookup API: POST /api/v1/public/certificates/lookup/ with the JSON body {"number", "name"} a client sends
     (DRF parsing and validation, the same rate limit and lookup log, the JSON answer with the verify checklist);
   - the bare API view: POST /bench/bare-api/ with the same JSON (a plain Django view: one indexed query,
     JsonResponse; see bench/views.py).
4. Prints requests per second and p99 latency of each round, the medians, and the ratios (lookup / bare and
   api / bare-api). --json PATH also writes them, with the run's settings, for bench/capacity.py.

--production (with REDIS_URL): the cache and broker in Redis, so each lookup counts and queues its log record in one
Redis round trip, and a Celery worker with beat (started here) flushes the log by COPY; DATABASE_REPLICA_URL, when
set, sends the lookups to the replica. The queue left at the end is printed (the flush keeps up or it does not).

Not part of `make test`. Figures and the machine they came from: docs/performance.md.
"""

import argparse
import datetime as dt
import io
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_CREDIT_BODY = "91440100BENCHLOAD"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国红玉云飞鹏辉斌宇浩晨欣怡佳琪雪梅"
CHUNK = 100_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def check_digit(body: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


def person(i: int) -> tuple[str, str]:
    """(name, ID number) of the i-th person of the load."""
    name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 7) % len(GIVEN)] + GIVEN[(i // 311) % len(GIVEN)]
    body = f"4401{(i // 100_000) % 100:02d}{dt.date(1960, 1, 1) + dt.timedelta(days=(i // 1000) % 15000):%Y%m%d}" \
           f"{i % 1000:03d}"
    return name, body + check_digit(body)


def number_of(i: int) -> str:
    """The i-th certificate's number: 5 levels × 10 years × up to 20,000 per organization and year."""
    return f"S000044999990{20 + (i // 5) % 10:02d}{1 + i % 5}{i // 50 + 1:06d}"


SQL_CHUNK = 1_000_000
# person(p) and number_of(i) written in SQL, for INSERT … SELECT generate_series (the same names and numbers)
NAME_SQL = ("substr(%(s)s, 1 + {p} %% %(ns)s, 1) || substr(%(g)s, 1 + ({p} / 7) %% %(ng)s, 1) "
            "|| substr(%(g)s, 1 + ({p} / 311) %% %(ng)s, 1)")
BODY_SQL = ("'4401' || lpad((({p} / 100000) %% 100)::text, 2, '0') "
            "|| to_char(date '1960-01-01' + (({p} / 1000) %% 15000)::int, 'YYYYMMDD') || lpad(({p} %% 1000)::text, 3, '0')")
CHECK_SQL = ("(SELECT substr('10X98765432', 1 + (sum(substr(b.body, k, 1)::int * (ARRAY[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,"
             "4,2])[k]) %% 11)::int, 1) FROM generate_series(1, 17) k)")
NUMBER_SQL = ("'S000044999990' || lpad((20 + ({i} / 5) %% 10)::text, 2, '0') || (1 + {i} %% 5)::text "
              "|| lpad(({i} / 50 + 1)::text, 6, '0')")


def load_sql(cursor: object, plans: list[object], count: int, constants: tuple[object, ...], occupation: object,
             started: float) -> None:
    """The rows written by PostgreSQL itself (INSERT … SELECT generate_series): 10,000,000 in minutes, not hours."""
    from certificates.models import Candidate, Certificate
    from certificates.services.issuance import CERTIFICATE_COPY_COLUMNS

    names = {"s": SURNAMES, "ns": len(SURNAMES), "g": GIVEN, "ng": len(GIVEN)}
    persons = (count + 1) // 2
    for k, plan in enumerate(plans):
        for start in range(0, persons, SQL_CHUNK):
            cursor.execute(  # type: ignore[attr-defined]
                f"INSERT INTO {Candidate._meta.db_table} (plan_id, line, name, id_type, id_number, gender, phone, "
                "level, training_class, certified_warning_confirmed, theory_absent, practical_absent, review_absent, "
                f"withheld_reason, passed) SELECT %(plan)s, p + 1, {NAME_SQL.format(p='p')}, 'resident_id', "
                f"b.body || {CHECK_SQL}, 'M', '139' || lpad(p::text, 8, '0'), 1 + (2 * p + %(k)s) %% 5, '', "
                f"false, false, false, false, '', true FROM generate_series(%(a)s, %(b)s) p, "
                f"LATERAL (SELECT {BODY_SQL.format(p='p')} AS body) b",
                {**names, "plan": plan.pk, "k": k, "a": start, "b": min(start + SQL_CHUNK, persons) - 1})  # type: ignore[attr-defined]
        print(f"  candidates of plan {k + 1} ({time.perf_counter() - started:.0f} s)")
    columns = ", ".join(CERTIFICATE_COPY_COLUMNS)
    for start in range(0, count, SQL_CHUNK):
        cursor.execute(  # type: ignore[attr-defined]
            f"INSERT INTO {Certificate._meta.db_table} ({columns}) SELECT %(c0)s, %(c1)s, %(c2)s, %(c3)s, %(c4)s, "
            "%(c5)s, %(c6)s, %(c7)s, %(c8)s, %(c9)s, %(c10)s, %(c11)s, c.id, "
            f"{NUMBER_SQL.format(i='i')}, c.name, 'resident_id', c.id_number, %(occ)s, %(code)s, %(occ_name)s, '--', "
            f"1 + i %% 5, '' FROM generate_series(%(a)s, %(b)s) i JOIN {Candidate._meta.db_table} c "
            "ON c.plan_id = (%(plans)s::bigint[])[1 + i %% 2] AND c.line = i / 2 + 1",
            {**{f"c{n}": v for n, v in enumerate(constants)}, "occ": occupation.pk, "code": occupation.code,  # type: ignore[attr-defined]
             "occ_name": occupation.name, "plans": [p.pk for p in plans], "a": start,  # type: ignore[attr-defined]
             "b": min(start + SQL_CHUNK, count) - 1})
        print(f"  {min(start + SQL_CHUNK, count):,} certificates ({time.perf_counter() - started:.0f} s)")


def load(count: int, *, sql: bool = False) -> None:
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from certificates import services
    from certificates.models import Candidate, Certificate, ExamPlan, IssuanceBatch, PlanState
    from filings.models import Filing
    from portal.models import Institution, Membership, Occupation, Province, User
    from portal.reference_data import ensure_reference_data

    ensure_reference_data()
    credit_code = BENCH_CREDIT_BODY + "8"
    existing = Institution.objects.filter(credit_code=credit_code).first()
    if existing is not None:
        have = Certificate.objects.filter(institution=existing).count()
        print(f"found {have:,} benchmark certificates already loaded; skipping the load")
        return
    started = time.perf_counter()
    persons = (count + 1) // 2
    with transaction.atomic():
        province = Province.objects.get(slug="gd")
        city = province.cities.order_by("code").first()
        institution = Institution.objects.create(
            province=province, city=city, name="基准负载测试职业技能评价中心", category="other", credit_code=credit_code,
            nature="private_non_enterprise", level="city", address="广州", legal_representative="张三",
            contact_person="李四", contact_phone="020-1234567")
        user = User.objects.create(username="bench-lookup-load")
        Membership.objects.create(user=user, province=province, role="institution_member", institution=institution)
        occupation = Occupation.objects.get(code="6-18-02-04")
        today = timezone.localdate()
        filing = Filing.objects.create(
            province=province, institution=institution, city=city, filing_number="BENCH-LOAD-1", filed_on=today,
            valid_from=today, valid_until=today + dt.timedelta(days=1000), organization_sequence="999990")
        plans = [ExamPlan.objects.create(province=province, institution=institution, filing=filing, city=city,
                                         occupation=occupation, title=f"负载测试考核{n}", levels=[1, 2, 3, 4, 5],
                                         state=PlanState.APPROVED, created_by=user) for n in (1, 2)]
        batch = IssuanceBatch.objects.create(province=province, filing=filing, institution=institution,
                                             issued_on=today, total=count, created_by=user)
    if sql:
        constants = (province.pk, filing.pk, institution.pk, batch.pk, institution.name, today, timezone.now(),
                     "valid", "", "", "", "")
        with connection.cursor() as cursor:
            load_sql(cursor, plans, count, constants, occupation, started)
            cursor.execute(f"ANALYZE {Certificate._meta.db_table}")
            cursor.execute(f"ANALYZE {Candidate._meta.db_table}")
        print(f"loaded {count:,} certificates in {time.perf_counter() - started:.0f} s")
        return
    candidate_sql = (f"COPY {Candidate._meta.db_table} (plan_id, line, name, id_type, id_number, gender, phone, level, "
                     "training_class, certified_warning_confirmed, theory_absent, practical_absent, review_absent, "
                     "withheld_reason, passed) FROM STDIN")
    with connection.cursor() as cursor:
        for plan_index, plan in enumerate(plans):
            for start in range(0, persons, CHUNK):
                buffer = io.StringIO()
                for p in range(start, min(start + CHUNK, persons)):
                    name, id_number = person(p)
                    buffer.write(f"{plan.pk}\t{p + 1}\t{name}\tresident_id\t{id_number}\tM\t139{p:08d}\t"
                                 f"{1 + (2 * p + plan_index) % 5}\t\tf\tf\tf\tf\t\tt\n")
                buffer.seek(0)
                cursor.cursor.copy_expert(candidate_sql, buffer)
        print(f"candidates loaded in {time.perf_counter() - started:.0f} s")
        ids = {}
        cursor.execute(f"SELECT id, plan_id, line FROM {Candidate._meta.db_table} WHERE plan_id IN (%s, %s)",
                       [plans[0].pk, plans[1].pk])
        plan_index_of = {plans[0].pk: 0, plans[1].pk: 1}
        for pk, plan_id, line in cursor.fetchall():
            ids[(plan_index_of[plan_id], line - 1)] = pk
        constants = (province.pk, filing.pk, institution.pk, batch.pk, institution.name, today, timezone.now(),
                     "valid", "", "", "", "")
        for start in range(0, count, CHUNK):
            rows = []
            for i in range(start, min(start + CHUNK, count)):
                name, id_number = person(i // 2)
                rows.append((ids[(i % 2, i // 2)], number_of(i), name, "resident_id", id_number, occupation.pk,
                             occupation.code, occupation.name, "--", 1 + i % 5, ""))
            services.copy_certificates(rows, constants)
            print(f"  {min(start + CHUNK, count):,} certificates ({time.perf_counter() - started:.0f} s)")
        cursor.execute(f"ANALYZE {Certificate._meta.db_table}")
        cursor.execute(f"ANALYZE {Candidate._meta.db_table}")
    print(f"loaded {count:,} certificates in {time.perf_counter() - started:.0f} s")


def ensure_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing wrk (apt-get install -y wrk)")
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, stdout=subprocess.DEVNULL)
        wrk = shutil.which("wrk")
    if not wrk:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    return wrk


def wait_until_up(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not start")


def csrf(base: str) -> tuple[str, str]:
    """(cookie, form token) from the lookup page, as a browser gets them."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base + "/verify/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    cookie = next((c.value for c in jar if c.name == "csrftoken"), None)
    if not token or not cookie:
        raise SystemExit("no CSRF token on /verify/")
    return cookie, token.group(1)


LUA = """
local bodies = {}
for line in io.lines("%(bodies)s") do bodies[#bodies + 1] = line end
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "csrftoken=%(cookie)s"
request = function()
  counter = counter %% #bodies + 1
  return wrk.format(nil, nil, nil, bodies[counter])
end
"""
LUA_JSON = LUA.replace("application/x-www-form-urlencoded", "application/json").replace(
    'wrk.headers["Cookie"] = "csrftoken=%(cookie)s"\n', "")
API_PATH = "/api/v1/public/certificates/lookup/"
# (name, path, bodies): the page and its bare view take the form body; the API and its bare view the JSON body
SIDES = (("lookup", "/verify/", "form"), ("bare", "/bench/bare/", "form"),
         ("api", API_PATH, "json"), ("bare-api", "/bench/bare-api/", "json"))
Result = tuple[float, float, int]


def run_wrk(wrk: str, url: str, script: Path, *, connections: int, duration: int) -> tuple[float, float, int]:
    """(requests per second, p99 latency in ms, non-2xx responses) of one wrk run."""
    out = subprocess.run([wrk, "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(script), url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, p99, int(bad.group(1)) if bad else 0


def start_flusher() -> subprocess.Popen[bytes]:
    """A Celery worker with beat (bench.settings): flushes the queued lookup log every 5 s, as in production."""
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "celery"), "-A", "portal", "worker", "-B", "-P", "solo", "-l", "warning",
         "-s", str(Path(tempfile.gettempdir()) / "bench-lookup-beat")],
        cwd=ROOT, env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}, start_new_session=True)


def report_queue() -> None:
    import django

    django.setup()
    from certificates.services import lookup_log

    client = lookup_log.queue_client()
    print(f"lookup log records still queued: {client.llen(lookup_log.QUEUE_KEY):,} "
          f"(+{client.llen(lookup_log.PROCESSING_KEY):,} in a flush)")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--certificates", type=int, default=1_000_000)
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each (alternating)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--sql-load", action="store_true",
                        help="generate the rows with INSERT … SELECT generate_series (the default above 2,000,000)")
    parser.add_argument("--production", action="store_true", help="Redis cache and broker, the log flushed by a worker")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON (for bench/capacity.py)")
    return parser.parse_args(argv)


def queried(certificates: int) -> list[int]:
    """The 2,000 certificates the rounds look up (spread over the load)."""
    return list(range(0, certificates, max(1, certificates // 2000)))


def sign_queried(certificates: int) -> None:
    """Give the looked-up certificates their signed QR payload, as a rendered certificate has, so that every lookup
    checks an Ed25519 signature against the published keys as a real one does (the load itself writes none)."""
    from django.db import transaction

    from certificates import services
    from certificates.models import Certificate
    from certificates.pdf import payload_for
    from certificates.signing import decrypt_private_key, signer

    rows = list(Certificate.objects.filter(number__in=[number_of(i) for i in queried(certificates)], payload="")
                .select_related("province"))
    if not rows:
        return
    key = services.active_signing_key(rows[0].province)
    sign = signer(decrypt_private_key(key.private_key_encrypted))
    for certificate in rows:
        certificate.payload, certificate.signing_key = sign(payload_for(certificate, key.key_id)), key
    with transaction.atomic():
        Certificate.objects.bulk_update(rows, ["payload", "signing_key"], batch_size=500)
    print(f"signed the QR payloads of the {len(rows):,} certificates the rounds look up")


def write_scripts(tmp: Path, base: str, certificates: int) -> dict[str, Path]:
    """The wrk scripts of both request shapes, cycling through 2,000 real number/name pairs."""
    cookie, token = csrf(base)
    pairs = [(number_of(i), person(i // 2)[0]) for i in queried(certificates)]
    form = tmp / "form.txt"
    form.write_text("".join(urllib.parse.urlencode({"csrfmiddlewaretoken": token, "mode": "number",
                                                    "number-number": n, "number-name": name}) + "\n"
                            for n, name in pairs))
    api = tmp / "json.txt"
    api.write_text("".join(json.dumps({"number": n, "name": name}, ensure_ascii=False) + "\n" for n, name in pairs))
    scripts = {"form": tmp / "form.lua", "json": tmp / "json.lua"}
    scripts["form"].write_text(LUA % {"bodies": form, "cookie": cookie})
    scripts["json"].write_text(LUA_JSON % {"bodies": api})
    check_endpoints(base, form.read_text().splitlines()[0], api.read_text().splitlines()[0], cookie)
    return scripts


def check_endpoints(base: str, form_body: str, json_body: str, cookie: str) -> None:
    """Both lookups find the first certificate before anything is measured."""
    page = urllib.request.Request(base + "/verify/", data=form_body.encode(), headers={
        "Cookie": f"csrftoken={cookie}", "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(page) as response:
        if "certificate-number" not in response.read().decode():
            raise SystemExit("the lookup page did not find the first certificate: is the load complete?")
    api = urllib.request.Request(base + API_PATH, data=json_body.encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(api) as response:
        if not json.loads(response.read())["results"]:
            raise SystemExit("the lookup API did not find the first certificate")


def measure(wrk: str, base: str, scripts: dict[str, Path], args: argparse.Namespace) -> dict[str, list[Result]]:
    """Alternating rounds of the four sides after a warm-up of each; every round printed as it ends."""
    for _name, path, shape in SIDES:  # warm up every worker
        run_wrk(wrk, base + path, scripts[shape], connections=args.connections, duration=3)
    results: dict[str, list[Result]] = {name: [] for name, _path, _shape in SIDES}
    for n in range(args.rounds):
        for name, path, shape in SIDES:
            result = run_wrk(wrk, base + path, scripts[shape], connections=args.connections, duration=args.duration)
            results[name].append(result)
            print(f"round {n + 1} {name:8s}: {result[0]:8.1f} req/s   p99 {result[1]:7.1f} ms"
                  f"{f'   non-2xx {result[2]}' if result[2] else ''}")
    return results


def summarise(results: dict[str, list[Result]], args: argparse.Namespace) -> dict[str, Any]:
    """Medians per side and the two ratios, with what the run was (the --json document)."""
    sides = {name: {"rps": statistics.median(r[0] for r in rounds), "p99_ms": statistics.median(r[1] for r in rounds),
                    "non_2xx": sum(r[2] for r in rounds)} for name, rounds in results.items()}
    # the ratio of the medians, and the median of each round's ratio: a side and its bare view run one after the
    # other in a round, so the round's own ratio is the fairer one on a host whose speed drifts (±30% over minutes
    # was seen on this machine)
    ratios = {f"{a}/{b}": {
        "throughput": sides[a]["rps"] / sides[b]["rps"], "p99": sides[a]["p99_ms"] / sides[b]["p99_ms"],
        "paired_throughput": statistics.median(x[0] / y[0] for x, y in zip(results[a], results[b], strict=True)),
        "paired_p99": statistics.median(x[1] / y[1] for x, y in zip(results[a], results[b], strict=True)),
    } for a, b in (("lookup", "bare"), ("api", "bare-api"))}
    return {"benchmark": "lookup_load", "date": f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
            "load_average": os.getloadavg()[0], "cpu_count": os.cpu_count(), "certificates": args.certificates,
            "workers": args.workers, "connections": args.connections, "duration_s": args.duration,
            "rounds": args.rounds, "production": bool(args.production),
            "replica": bool(args.production and os.environ.get("DATABASE_REPLICA_URL", "").strip()),
            "sides": sides, "ratios": ratios}


def report(summary: dict[str, Any]) -> None:
    sides, ratios = summary["sides"], summary["ratios"]
    print(f"\ncertificates: {summary['certificates']:,}; gunicorn {summary['workers']} sync workers; wrk -t2 "
          f"-c{summary['connections']} -d{summary['duration_s']}s × {summary['rounds']} rounds (medians)")
    labels = {"lookup": "lookup page /verify/", "bare": "bare view", "api": "lookup API", "bare-api": "bare API view"}
    for name, label in labels.items():
        print(f"{label:21s}: {sides[name]['rps']:8.1f} req/s   p99 {sides[name]['p99_ms']:7.1f} ms")
    for key, label in (("lookup/bare", "lookup / bare"), ("api/bare-api", "api / bare-api")):
        print(f"{label:21s}: {ratios[key]['throughput']:8.2f} × throughput   {ratios[key]['p99']:.2f} × p99   "
              f"(each round's own: {ratios[key]['paired_throughput']:.2f} × and {ratios[key]['paired_p99']:.2f} ×)")


def start_server(workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--worker-class", "sync", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}, start_new_session=True)
    return server, f"http://127.0.0.1:{port}"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.production:
        if not os.environ.get("REDIS_URL", "").startswith("redis://"):
            print("--production needs REDIS_URL=redis://host:port/0", file=sys.stderr)
            return 2
        os.environ["BENCH_PRODUCTION"] = "1"
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("Set DATABASE_URL to a migrated PostgreSQL database (a throwaway one: the load stays).", file=sys.stderr)
        return 2
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    wrk = ensure_wrk()
    load(args.certificates, sql=args.sql_load or args.certificates > 2_000_000)
    sign_queried(args.certificates)
    server, base = start_server(args.workers)
    flusher = start_flusher() if args.production else None
    try:
        wait_until_up(base)
        with tempfile.TemporaryDirectory() as tmp:
            results = measure(wrk, base, write_scripts(Path(tmp), base, args.certificates), args)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
        if flusher is not None:
            report_queue()
            os.killpg(flusher.pid, signal.SIGTERM)
            flusher.wait(60)
    summary = summarise(results, args)
    report(summary)
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=2) + "\n")
        print(f"written: {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

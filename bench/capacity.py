"""Capacity on paper: web processes, PDF workers, database size and partitioning, from the benchmarks' JSON output.

    # the benchmarks, each with --json (bench/lookup_load.py, bench/pdf_throughput.py, bench/supervision_scale.py)
    .venv/bin/python bench/capacity.py --from /work/bench-out/*.json                  # the markdown tables
    DATABASE_URL=postgres://... .venv/bin/python bench/capacity.py --from /work/bench-out/*.json --db-measure \
        [--write-measure /work/bench-out/db_sizes.json] --into docs/scaling.md

--into PATH replaces the block between BEGIN and END (below) in that file instead of printing the tables.

--db-measure measures, in the PostgreSQL of DATABASE_URL (the benchmark's load), the bytes of the certificate,
candidate, lookup log, audit event and indicator tables (pg_total_relation_size, pg_indexes_size, pg_relation_size of
each index) and their rows, normalised per 1,000,000 certificates; --write-measure keeps that as a JSON document
that a later --from reads instead. The arithmetic (below the constants) is pure: tests/bench/test_capacity.py pins it.
Method and decisions: docs/scaling.md.
"""

import argparse
import json
import math
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# --- the two deployments sized here ---
PROVINCE_CERTIFICATES_PER_YEAR = 2_000_000  # one province's certificates a year
PROVINCE_PEAK_LOOKUPS_PER_S = 50  # one province's busiest second of public lookups
COUNTRY_PROVINCES = 31
COUNTRY_CERTIFICATES_PER_YEAR = 20_000_000  # the 31 provinces together
COUNTRY_PEAK_LOOKUPS_PER_S = 500
# --- web ---
WEB_HEADROOM = 0.5  # processes sized so the peak uses at most half the measured throughput (spikes, GC, a node lost)
# --- PDFs ---
WORKING_DAYS_PER_YEAR = 250  # certificates are issued on working days only
PEAK_DAY_FACTOR = 3.0  # the busiest issuing day carries 3× an average working day (exam seasons end together)
RENDER_HOURS_PER_DAY = 8.0  # a day's PDFs are rendered within the working day they are issued
PDF_HEADROOM = 0.2  # worker processes busy at most 80 % of the peak day's working hours
# --- lookups and their log ---
AVERAGE_TO_PEAK = 0.05  # the year's average lookup rate is 5 % of the peak rate (nights and weekends near zero)
SECONDS_PER_YEAR = 365 * 86_400
LOOKUP_LOG_ROW_BYTES_ASSUMED = 200  # bytes per lookup log row (heap + indexes) when the measured database has none
# --- database ---
YEARS = (1, 5, 10)
CANDIDATES_PER_CERTIFICATE_ASSUMED = 1.25  # when the measured load has no candidate rows: 80 % of candidates pass
PARTITION_TABLE_BYTES = 100 * 1024**3  # partition a table once it (heap + indexes) passes ~100 GB (vacuum, rebuilds)
INDEX_RAM_BYTES = 16 * 1024**3  # ...or once its indexes pass the RAM kept for them (64 GB server, 1/4 for indexes)
GB = 1024**3
MB = 1024**2
BEGIN = "<!-- capacity:begin (written by bench/capacity.py --into; do not edit by hand) -->"
END = "<!-- capacity:end -->"
# Tables measured by --db-measure: (label, app label, model); the label keys the JSON document.
TABLES = (("certificate", "certificates", "Certificate"), ("candidate", "certificates", "Candidate"),
          ("lookup_log", "certificates", "LookupLog"), ("audit_event", "portal", "AuditEvent"),
          ("indicator_cell", "supervision", "IndicatorCell"), ("certificate_month", "supervision", "CertificateMonth"))


@dataclass(frozen=True)
class Deployment:
    name: str
    certificates_per_year: int
    peak_lookups_per_s: float
    partitions_by_province: int  # how many province partitions the certificates would split into


PROVINCE = Deployment("one province", PROVINCE_CERTIFICATES_PER_YEAR, PROVINCE_PEAK_LOOKUPS_PER_S, 1)
COUNTRY = Deployment("the country", COUNTRY_CERTIFICATES_PER_YEAR, COUNTRY_PEAK_LOOKUPS_PER_S, COUNTRY_PROVINCES)


# --- the arithmetic (pure) ---

def web_processes(peak_per_s: float, rps_per_process: float, headroom: float = WEB_HEADROOM) -> int:
    """Processes so that the peak uses at most (1 - headroom) of their measured throughput."""
    return max(1, math.ceil(peak_per_s / (rps_per_process * (1 - headroom)) - 1e-9))


def peak_pdfs_per_s(certificates_per_year: int) -> float:
    """PDFs per second on the peak issuing day, rendered within its working hours."""
    per_day = certificates_per_year / WORKING_DAYS_PER_YEAR * PEAK_DAY_FACTOR
    return per_day / (RENDER_HOURS_PER_DAY * 3600)


def pdf_processes(certificates_per_year: int, seconds_per_pdf_per_process: float,
                  headroom: float = PDF_HEADROOM) -> int:
    """Celery worker processes that keep up with the peak issuing day."""
    busy = peak_pdfs_per_s(certificates_per_year) * seconds_per_pdf_per_process
    return max(1, math.ceil(busy / (1 - headroom) - 1e-9))


def lookups_per_year(peak_per_s: float) -> int:
    return round(peak_per_s * AVERAGE_TO_PEAK * SECONDS_PER_YEAR)


def lookup_row_bytes(sizes: dict[str, Any]) -> tuple[float, bool]:
    """(bytes per lookup log row with its indexes, measured?)."""
    log = sizes["tables"].get("lookup_log", {})
    if log.get("rows"):
        return log["total_bytes"] / log["rows"], True
    return float(LOOKUP_LOG_ROW_BYTES_ASSUMED), False


def per_million(sizes: dict[str, Any], table: str, key: str = "total_bytes") -> float:
    """A table's bytes per 1,000,000 certificates in the measured database."""
    entry = sizes["tables"].get(table, {})
    value = float(entry.get(key, 0))
    if table == "candidate" and not entry.get("rows"):  # no results in the load: assume certificate-sized rows
        return per_million(sizes, "certificate", key) * CANDIDATES_PER_CERTIFICATE_ASSUMED
    if not entry.get("rows"):  # an empty table's few pages say nothing about its growth
        return 0.0
    return value * 1_000_000 / sizes["certificates"]


def table_bytes(sizes: dict[str, Any], deployment: Deployment, years: int, table: str,
                key: str = "total_bytes") -> float:
    """One table's bytes (or its indexes' with key="index_bytes") after `years` years."""
    if table == "lookup_log":
        row, _measured = lookup_row_bytes(sizes)
        share = 1.0 if key == "total_bytes" else _index_share(sizes, "lookup_log")
        return row * share * lookups_per_year(deployment.peak_lookups_per_s) * years
    return per_million(sizes, table, key) * deployment.certificates_per_year * years / 1_000_000


def _index_share(sizes: dict[str, Any], table: str) -> float:
    entry = sizes["tables"].get(table, {})
    return entry["index_bytes"] / entry["total_bytes"] if entry.get("total_bytes") else 0.5


def partition_year(sizes: dict[str, Any], deployment: Deployment, table: str, partitions: int = 1) -> int | None:
    """The first year (1-30) in which one partition of `table` (of `partitions` equal ones) passes a threshold."""
    for year in range(1, 31):
        total = table_bytes(sizes, deployment, year, table) / partitions
        indexes = table_bytes(sizes, deployment, year, table, "index_bytes") / partitions
        if total > PARTITION_TABLE_BYTES or indexes > INDEX_RAM_BYTES:
            return year
    return None


def yearly_partition_bytes(sizes: dict[str, Any], deployment: Deployment, table: str, per_year: int = 1) -> float:
    """One partition's bytes when the table is partitioned by year (per_year=1) or by month (per_year=12)."""
    return table_bytes(sizes, deployment, 1, table) / per_year


def lookup_capacity(lookup: dict[str, Any]) -> dict[str, float]:
    """Measured req/s per web process of the page and the API (the slower one sizes the web tier)."""
    workers = lookup["workers"]
    page = lookup["sides"]["lookup"]["rps"] / workers
    api = lookup["sides"]["api"]["rps"] / workers
    return {"page": page, "api": api, "sizing": min(page, api),
            "processes_per_core": workers / (lookup.get("cpu_count") or 2)}


# --- the inputs ---

def read_inputs(paths: list[str]) -> dict[str, dict[str, Any]]:
    """The JSON documents by benchmark name; of two of one name, the one with more certificates (then the later)."""
    documents: dict[str, dict[str, Any]] = {}
    for path in paths:
        document = json.loads(Path(path).read_text())
        kept = documents.get(document["benchmark"])
        if kept is None or _certificates(document) >= _certificates(kept):
            documents[document["benchmark"]] = document
    return documents


def _certificates(document: dict[str, Any]) -> int:
    return int(document.get("certificates") or document.get("sizes", {}).get("certificates") or 0)


def measure_database() -> dict[str, Any]:
    """Bytes and rows of the measured tables in DATABASE_URL's database, with the certificates they hold."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.apps import apps
    from django.db import connection

    tables: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for label, app, model in TABLES:
            name = apps.get_model(app, model)._meta.db_table
            cursor.execute("SELECT pg_total_relation_size(%s), pg_indexes_size(%s), pg_relation_size(%s), "
                           "(SELECT count(*) FROM " + connection.ops.quote_name(name) + ")", [name, name, name])
            total, indexes, heap, rows = cursor.fetchone()
            cursor.execute("SELECT indexrelid::regclass::text, pg_relation_size(indexrelid) FROM pg_index "
                           "WHERE indrelid = %s::regclass ORDER BY 2 DESC", [name])
            tables[label] = {"table": name, "rows": rows, "total_bytes": total, "index_bytes": indexes,
                             "heap_bytes": heap, "indexes": dict(cursor.fetchall())}
    certificates = tables["certificate"]["rows"]
    if not certificates:
        raise SystemExit("the database holds no certificates: run bench/lookup_load.py on it first")
    for entry in tables.values():
        entry["rows_per_1m_certificates"] = entry["rows"] * 1_000_000 / certificates
        entry["bytes_per_1m_certificates"] = entry["total_bytes"] * 1_000_000 / certificates
    return {"benchmark": "db_sizes", "certificates": certificates, "tables": tables}


# --- the tables ---

def _gb(value: float) -> str:
    return f"{value / GB:,.1f} GB" if value >= GB / 10 else f"{value / MB:,.0f} MB"


def sources_table(documents: dict[str, dict[str, Any]]) -> list[str]:
    lines = ["| benchmark | date | load average | what |", "|---|---|---|---|"]
    lookup = documents.get("lookup_load")
    if lookup:
        s, r = lookup["sides"], lookup["ratios"]
        lines.append(f"| lookup_load | {lookup['date']} | {lookup['load_average']:.1f} | {lookup['certificates']:,} "
                     f"certificates, {lookup['workers']} workers, -c{lookup['connections']}, production "
                     f"{'on' if lookup['production'] else 'off'}, replica {'on' if lookup['replica'] else 'off'}: "
                     f"page {s['lookup']['rps']:.0f} req/s (p99 {s['lookup']['p99_ms']:.1f} ms), bare "
                     f"{s['bare']['rps']:.0f}, API {s['api']['rps']:.0f} (p99 {s['api']['p99_ms']:.1f} ms), bare API "
                     f"{s['bare-api']['rps']:.0f}; ratios {r['lookup/bare']['throughput']:.2f}× / "
                     f"{r['api/bare-api']['throughput']:.2f}× |")
    pdf = documents.get("pdf_throughput")
    if pdf:
        m = pdf["median"]
        lines.append(f"| pdf_throughput | {pdf['date']} | {pdf['load_average']:.1f} | {pdf['certificates']:,} PDFs on "
                     f"{pdf['processes']} processes: {m['pipeline_pdfs_per_s']:.2f}/s "
                     f"({m['pipeline_s_per_pdf_per_process']:.3f} s per PDF per process), bare "
                     f"{m['bare_pdfs_per_s']:.2f}/s, {m['size_min_kb']:.0f}–{m['size_max_kb']:.0f} KB |")
    sup = documents.get("supervision_scale")
    if sup:
        parts = [f"dashboard {sup['dashboard']['ratio']:.2f}× bare"] if "dashboard" in sup else []
        parts += [f"sweep {sup['sweep']['ratio']:.2f}× GROUP BY"] if "sweep" in sup else []
        lines.append(f"| supervision_scale | {sup['date']} | {sup['load_average']:.1f} | "
                     f"{sup['sizes']['certificates']:,} certificates: {', '.join(parts)} |")
    sizes = documents.get("db_sizes")
    if sizes:
        lines.append(f"| db_sizes | | | {sizes['certificates']:,} certificates measured |")
    return lines


def processes_table(documents: dict[str, dict[str, Any]]) -> list[str]:
    lines = ["| | peak lookups/s | web processes | ≈ cores | peak PDFs/s | PDF worker processes |",
             "|---|---|---|---|---|---|"]
    lookup, pdf = documents.get("lookup_load"), documents.get("pdf_throughput")
    capacity = lookup_capacity(lookup) if lookup else None
    per_pdf = pdf["median"]["pipeline_s_per_pdf_per_process"] if pdf else None
    for d in (PROVINCE, COUNTRY):
        web = web_processes(d.peak_lookups_per_s, capacity["sizing"]) if capacity else None
        cores = f"{math.ceil(web / capacity['processes_per_core'])}" if capacity and web else "–"
        workers = pdf_processes(d.certificates_per_year, per_pdf) if per_pdf else "–"
        lines.append(f"| {d.name} | {d.peak_lookups_per_s:g} | {web or '–'} | {cores} | "
                     f"{peak_pdfs_per_s(d.certificates_per_year):.2f} | {workers} |")
    if capacity:
        lines.append(f"\nMeasured per web process: page {capacity['page']:.1f} req/s, API {capacity['api']:.1f} req/s "
                     f"(the slower sizes the tier; {capacity['processes_per_core']:.1f} processes per core); headroom "
                     f"{WEB_HEADROOM:.0%}. PDFs: {per_pdf or 0:.3f} s per PDF per process, headroom {PDF_HEADROOM:.0%}.")
    return lines


def size_table(sizes: dict[str, Any]) -> list[str]:
    labels = [label for label, _app, _model in TABLES]
    lines = ["| deployment | years | " + " | ".join(labels) + " | total | of which indexes |",
             "|---|---|" + "---|" * (len(labels) + 2)]
    for d in (PROVINCE, COUNTRY):
        for years in YEARS:
            cells = [table_bytes(sizes, d, years, t) for t in labels]
            indexes = sum(table_bytes(sizes, d, years, t, "index_bytes") for t in labels)
            lines.append(f"| {d.name} | {years} | " + " | ".join(_gb(c) for c in cells) +
                         f" | {_gb(sum(cells))} | {_gb(indexes)} |")
    return lines


def measured_table(sizes: dict[str, Any]) -> list[str]:
    lines = ["| table | rows per 1M certificates | bytes per 1M certificates | of which indexes | largest index |",
             "|---|---|---|---|---|"]
    for label, entry in sizes["tables"].items():
        largest = max(entry["indexes"].items(), key=lambda kv: kv[1], default=("–", 0))
        lines.append(f"| {label} | {entry['rows'] * 1e6 / sizes['certificates']:,.0f} | "
                     f"{_gb(per_million(sizes, label))} | {_gb(per_million(sizes, label, 'index_bytes'))} | "
                     f"{largest[0]} ({_gb(largest[1] * 1e6 / sizes['certificates'])}) |")
    return lines


def partition_table(sizes: dict[str, Any]) -> list[str]:
    row, measured = lookup_row_bytes(sizes)
    lines = ["| table, deployment | per year | one table passes the threshold in year | by province: a "
             "partition passes it in year | by year: one partition | by month: one partition |", "|---|---|---|---|---|---|"]
    for table in ("certificate", "lookup_log"):
        for d in (PROVINCE, COUNTRY):
            whole = partition_year(sizes, d, table)
            by_province = partition_year(sizes, d, table, d.partitions_by_province)
            lines.append(f"| {table}, {d.name} | {_gb(table_bytes(sizes, d, 1, table))} | {whole or '> 30'} | "
                         f"{by_province or '> 30'} | {_gb(yearly_partition_bytes(sizes, d, table))} | "
                         f"{_gb(yearly_partition_bytes(sizes, d, table, 12))} |")
    lines.append(f"\nThresholds: a table (heap + indexes) over {_gb(PARTITION_TABLE_BYTES)} or its indexes over "
                 f"{_gb(INDEX_RAM_BYTES)} of RAM. Lookup log: {row:.0f} bytes per row "
                 f"({'measured' if measured else 'assumed'}), {lookups_per_year(PROVINCE.peak_lookups_per_s):,} "
                 f"lookups a year per province, {lookups_per_year(COUNTRY.peak_lookups_per_s):,} for the country "
                 f"({AVERAGE_TO_PEAK:.0%} of the peak rate on average).")
    return lines


def render(documents: dict[str, dict[str, Any]]) -> str:
    out = ["### Sources", "",
           *sources_table(documents), "", "### Processes", "", *processes_table(documents)]
    sizes = documents.get("db_sizes")
    if sizes:
        out += ["", "### Measured bytes (normalised per 1,000,000 certificates)", "", *measured_table(sizes),
                "", "### Database size", "", *size_table(sizes), "", "### Partitioning", "", *partition_table(sizes)]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--from", dest="inputs", nargs="*", default=[], metavar="JSON",
                        help="the benchmarks' --json files (and a --write-measure file)")
    parser.add_argument("--db-measure", "--measure", action="store_true",
                        help="measure the table and index bytes in DATABASE_URL's database")
    parser.add_argument("--write-measure", metavar="PATH", help="keep the measurement as JSON")
    parser.add_argument("--into", metavar="PATH", help="replace the tables' block in this document (docs/scaling.md)")
    args = parser.parse_args(argv)
    documents = read_inputs(args.inputs)
    if args.db_measure:
        if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
            print("--db-measure needs DATABASE_URL (the benchmark's PostgreSQL database)", file=sys.stderr)
            return 2
        documents["db_sizes"] = measure_database()
        if args.write_measure:
            Path(args.write_measure).write_text(json.dumps(documents["db_sizes"], indent=2) + "\n")
    if args.into:
        write_into(Path(args.into), render(documents))
    else:
        sys.stdout.write(render(documents))
    return 0


def write_into(path: Path, tables: str) -> None:
    """The tables in place of the block between BEGIN and END of a document (the rest untouched)."""
    text = path.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{path} has no {BEGIN} … {END} block")
    head, rest = text.split(BEGIN, 1)
    path.write_text(f"{head}{BEGIN}\n\n{tables}\n{END}{rest.split(END, 1)[1]}", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())

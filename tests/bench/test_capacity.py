"""The capacity arithmetic of bench/capacity.py on fixed benchmark documents: exact numbers, never a timing."""

from pathlib import Path

import pytest

from bench import capacity

FIXTURES = Path(__file__).parent / "fixtures"
MB = 1024**2


@pytest.fixture
def documents() -> dict[str, dict]:
    return capacity.read_inputs([str(FIXTURES / f"capacity_{name}.json") for name in ("lookup", "pdf", "db_sizes")])


def test_web_processes_keep_the_stated_headroom() -> None:
    assert capacity.web_processes(500, 100, headroom=0.5) == 10
    assert capacity.web_processes(501, 100, headroom=0.5) == 11
    assert capacity.web_processes(50, 100, headroom=0.5) == 1
    assert capacity.web_processes(0.1, 1000) == 1


def test_the_slower_of_page_and_api_sizes_the_web_tier(documents: dict[str, dict]) -> None:
    measured = capacity.lookup_capacity(documents["lookup_load"])
    assert measured == {"page": 100.0, "api": 120.0, "sizing": 100.0, "processes_per_core": 2.5}
    markdown = capacity.render(documents)
    assert "| the country | 500 | 10 | 4 | 8.33 | 6 |" in markdown  # 10 processes at 2.5 a core: 4 cores
    assert "| one province | 50 | 1 | 1 | 0.83 | 1 |" in markdown


def test_pdf_workers_follow_the_peak_issuing_day() -> None:
    # 20,000,000 a year over 250 working days, 3× on the peak day, within 8 hours: 8.33 PDFs/s
    assert capacity.peak_pdfs_per_s(20_000_000) == pytest.approx(20_000_000 / 250 * 3 / (8 * 3600))
    # 8.33/s × 0.5 s per PDF = 4.17 busy processes, at most 80 % busy: 5.2, so 6
    assert capacity.pdf_processes(20_000_000, 0.5, headroom=0.2) == 6
    assert capacity.pdf_processes(2_000_000, 0.5, headroom=0.2) == 1


def test_database_size_scales_the_bytes_per_million_certificates(documents: dict[str, dict]) -> None:
    sizes = documents["db_sizes"]
    assert capacity.table_bytes(sizes, capacity.COUNTRY, 10, "certificate") == 600 * MB * 200
    assert capacity.table_bytes(sizes, capacity.PROVINCE, 1, "certificate", "index_bytes") == 50 * MB * 2
    # no candidate rows in the load: 1.25 certificate-sized rows per certificate are assumed
    assert capacity.table_bytes(sizes, capacity.PROVINCE, 1, "candidate") == 600 * MB * 2 * 1.25
    assert capacity.table_bytes(sizes, capacity.COUNTRY, 10, "audit_event") == 0  # an empty table does not grow


def test_the_lookup_log_grows_with_the_lookups_not_the_certificates(documents: dict[str, dict]) -> None:
    sizes = documents["db_sizes"]
    assert capacity.lookup_row_bytes(sizes) == (200.0, True)
    assert capacity.lookups_per_year(500) == 500 * 0.05 * 365 * 86_400 == 788_400_000
    assert capacity.table_bytes(sizes, capacity.COUNTRY, 1, "lookup_log") == 788_400_000 * 200
    assert capacity.table_bytes(sizes, capacity.COUNTRY, 1, "lookup_log", "index_bytes") == 788_400_000 * 50


def test_partitioning_is_due_when_a_table_or_a_partition_passes_the_threshold(documents: dict[str, dict]) -> None:
    sizes = documents["db_sizes"]
    # the country's certificates: 12,000 MB a year; 100 GB (102,400 MB) passed in year 9; indexes 1,000 MB a year
    assert capacity.partition_year(sizes, capacity.COUNTRY, "certificate") == 9
    # 31 province partitions of 387 MB a year each: none passes in 30 years
    assert capacity.partition_year(sizes, capacity.COUNTRY, "certificate", 31) is None
    # the country's lookup log: 157.7 GB in the first year
    assert capacity.partition_year(sizes, capacity.COUNTRY, "lookup_log") == 1
    assert capacity.yearly_partition_bytes(sizes, capacity.COUNTRY, "lookup_log", 12) == 788_400_000 * 200 / 12


def test_of_two_lookup_runs_the_larger_load_sizes_the_tier(tmp_path: Path) -> None:
    small = (FIXTURES / "capacity_lookup.json").read_text().replace('"certificates": 1000000', '"certificates": 20000')
    (tmp_path / "small.json").write_text(small)
    paths = [str(FIXTURES / "capacity_lookup.json"), str(tmp_path / "small.json")]
    assert capacity.read_inputs(paths)["lookup_load"]["certificates"] == 1_000_000


def test_into_replaces_only_the_block(documents: dict[str, dict], tmp_path: Path) -> None:
    doc = tmp_path / "scaling.md"
    doc.write_text(f"# Before\n\n{capacity.BEGIN}\nold tables\n{capacity.END}\n\nAfter.\n", encoding="utf-8")
    capacity.write_into(doc, "new tables\n")
    capacity.write_into(doc, "new tables\n")  # twice: the same document
    assert doc.read_text(encoding="utf-8") == f"# Before\n\n{capacity.BEGIN}\n\nnew tables\n\n{capacity.END}\n\nAfter.\n"

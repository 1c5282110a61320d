"""The audit log's hash chains: a clean chain verifies; an edited, a deleted or a missing last row is found and
named by `manage.py verify_audit`; existing rows are linked by the data migration; appends at once stay one chain."""

import importlib
import io
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from portal.audit import audit_personal_data_read, record_event
from portal.audit_chain import GENESIS, ChainReport, event_hash, seal_all, verify_chain
from portal.models import AuditChainHead, AuditEvent, Institution, Province
from portal.tasks import seal_audit_chains
from tests.factories import InstitutionFactory, UserFactory


def _events(province: str | None, n: int) -> list[AuditEvent]:
    """n events of one chain, sealed (the test's transaction never commits, so the test seals, as the sweep would)."""
    institution = InstitutionFactory(province=province or "gd")
    where = Province.objects.get(slug=province) if province else None
    events = [record_event(actor=None, action=f"step_{i}", obj=institution, province=where, reason=f"理由{i}",
                           changes={"n": {"before": i, "after": i + 1}}) for i in range(n)]
    seal_all()
    return [AuditEvent.objects.get(pk=e.pk) for e in events]


def _verify(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("verify_audit", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _broken(*args: str) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("verify_audit", *args, stdout=io.StringIO(), stderr=err)
    return f"{raised.value}\n{err.getvalue()}"


@pytest.mark.django_db
def test_each_event_links_to_its_provinces_predecessor() -> None:
    gd = _events("gd", 3)
    sd = _events("sd", 2)
    loose = _events(None, 2)

    for chain in (gd, sd, loose):
        assert chain[0].prev_hash == GENESIS
        assert [e.prev_hash for e in chain[1:]] == [e.entry_hash for e in chain[:-1]]
    stored = AuditEvent.objects.filter(pk=gd[1].pk).values().get()
    assert stored["entry_hash"] == gd[1].entry_hash == event_hash(stored)
    assert AuditChainHead.objects.get(key=f"province:{gd[0].province_id}").last_event_id == gd[-1].pk


@pytest.mark.django_db
def test_a_clean_chain_verifies() -> None:
    _events("gd", 3)
    _events("sd", 1)
    _events(None, 2)

    out, err = _verify()

    assert "chain gd: 3 events, intact" in out
    assert "chain sd: 1 events, intact" in out
    assert "chain none: 2 events, intact" in out
    assert err == ""


@pytest.mark.django_db
def test_a_row_edited_in_the_database_is_found_and_named() -> None:
    events = _events("gd", 4)
    edited = events[1]
    AuditEvent.objects.filter(pk=edited.pk).update(reason="改过的理由")

    report = _broken("--province", "gd")

    expected = event_hash(AuditEvent.objects.filter(pk=edited.pk).values().get())
    assert f"event {edited.pk}: entry_hash differs" in report
    assert f"expected {expected}, stored {edited.entry_hash}" in report


@pytest.mark.django_db
def test_a_deleted_row_is_found_at_its_successor() -> None:
    events = _events("gd", 4)
    AuditEvent.objects.filter(pk=events[1].pk).delete()

    report = _broken("--province", "gd")

    assert f"event {events[2].pk}: prev_hash differs" in report
    assert f"expected {events[0].entry_hash}, stored {events[1].entry_hash}" in report


@pytest.mark.django_db
def test_a_deleted_last_row_is_found_through_the_head() -> None:
    events = _events("gd", 3)
    AuditEvent.objects.filter(pk=events[-1].pk).delete()

    report = _broken()

    assert f"event {events[-1].pk}: the chain's last event (3 appended, 2 found)" in report


@pytest.mark.django_db
def test_one_province_is_verified_alone() -> None:
    _events("gd", 2)
    sd = _events("sd", 2)
    AuditEvent.objects.filter(pk=sd[0].pk).update(action="forged")

    out, _ = _verify("--province", "gd")

    assert "chain gd: 2 events, intact" in out
    assert f"event {sd[0].pk}" in _broken("--province", "sd")


@pytest.mark.django_db
def test_the_data_migration_links_rows_recorded_before_the_chain() -> None:
    events = _events("gd", 3) + _events(None, 1)
    AuditEvent.objects.update(prev_hash="", entry_hash="")
    AuditChainHead.objects.all().delete()
    migration = importlib.import_module("portal.migrations.0010_audit_hash_chain_existing_rows")

    migration.link_existing_events(apps, None)

    assert verify_chain(Province.objects.get(slug="gd")).broken is None
    assert verify_chain(None).broken is None
    assert AuditEvent.objects.get(pk=events[2].pk).entry_hash == events[2].entry_hash


@pytest.mark.django_db
def test_a_personal_data_read_is_one_audit_event() -> None:
    officer = UserFactory()
    institution = InstitutionFactory(province="gd")
    gd = Province.objects.get(slug="gd")

    event = audit_personal_data_read(officer, institution, what="法定代表人身份证号", province=gd)

    assert (event.action, event.actor, event.province, event.object_type) == (
        "personal_data_viewed", officer, gd, "portal.institution"
    )
    assert event.changes == {"personal_data": "法定代表人身份证号"}


@pytest.mark.django_db
def test_an_event_rolled_back_with_its_savepoint_leaves_the_chain_whole() -> None:
    institution = InstitutionFactory(province="gd")
    gd = Province.objects.get(slug="gd")
    first = record_event(actor=None, action="kept", obj=institution, province=gd)
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(actor=None, action="rolled_back", obj=institution, province=gd)
        raise RuntimeError

    last = record_event(actor=None, action="kept_too", obj=institution, province=gd)
    seal_all()

    first.refresh_from_db()
    last.refresh_from_db()
    assert (first.seq, last.seq) == (1, 2)
    assert last.prev_hash == first.entry_hash
    assert verify_chain(gd).broken is None


@pytest.mark.django_db
def test_events_wait_unsealed_until_their_transaction_commits_and_the_sweep_seals_what_is_left() -> None:
    institution = InstitutionFactory(province="gd")
    gd = Province.objects.get(slug="gd")
    event = record_event(actor=None, action="recorded", obj=institution, province=gd)

    report = verify_chain(gd)
    out, _ = _verify("--province", "gd")
    assert (report.length, report.pending, report.broken) == (0, 1, None)
    assert "chain gd: 1 event(s) not sealed yet" in out

    assert seal_audit_chains() == 1
    assert seal_audit_chains() == 0  # idempotent
    event.refresh_from_db()
    assert (event.seq, event.prev_hash) == (1, GENESIS)
    assert verify_chain(gd) == ChainReport("gd", 1, None, 0, None)


@pytest.mark.django_db
def test_a_commit_seals_its_events_at_once(django_capture_on_commit_callbacks: Any) -> None:
    institution = InstitutionFactory(province="gd")
    gd = Province.objects.get(slug="gd")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        events = [record_event(actor=None, action=f"step_{i}", obj=institution, province=gd) for i in range(3)]
        record_event(actor=None, action="loose", obj=institution, province=None)

    assert len(callbacks) == 2  # one seal per chain touched, not one per event
    assert sorted(AuditEvent.objects.filter(pk__in=[e.pk for e in events]).values_list("seq", flat=True)) == [1, 2, 3]
    assert verify_chain(gd).pending == 0 and verify_chain(None).pending == 0


def _at_the_same_moment(calls: list[Callable[[], Any]]) -> list[Any]:
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = calls[index]()
        except Exception as exc:  # noqa: BLE001 - the test inspects whatever happened
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def _append_in_its_own_transaction(institution: Institution, province: Province, n: int) -> AuditEvent:
    with transaction.atomic():
        return record_event(actor=None, action=f"concurrent_{n}", obj=institution, province=province)


def _concurrent_appends(threads: int) -> None:
    institution = InstitutionFactory(province="gd")
    gd = Province.objects.get(slug="gd")
    record_event(actor=None, action="first", obj=institution, province=gd)

    results = _at_the_same_moment([
        lambda n=n: _append_in_its_own_transaction(institution, gd, n) for n in range(threads)  # type: ignore[misc]
    ])

    assert all(isinstance(r, AuditEvent) for r in results), results
    chain = list(AuditEvent.objects.filter(province=gd).order_by("seq"))
    assert len(chain) == threads + 1
    assert [e.seq for e in chain] == list(range(1, threads + 2))  # every commit sealed its event
    assert len({e.prev_hash for e in chain}) == len(chain)  # no two events link to one predecessor
    assert verify_chain(gd).broken is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_appends_at_the_same_moment_form_one_chain_on_postgresql() -> None:
    _concurrent_appends(threads=8)



@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_open_transaction_holding_an_event_blocks_no_other_transaction_of_its_chain() -> None:
    """The deadlock this design ends: recording an event takes no lock of the chain, so a transaction that holds
    its own locks and an unsealed event never makes another wait (before, the head row stayed locked to commit)."""
    institution = InstitutionFactory(province="gd")
    gd = Province.objects.get(slug="gd")
    holding, release = threading.Event(), threading.Event()

    def hold_open() -> None:
        try:
            with transaction.atomic():
                record_event(actor=None, action="held", obj=institution, province=gd)
                holding.set()
                release.wait(30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_open)
    holder.start()
    try:
        assert holding.wait(30)
        other = _at_the_same_moment([lambda: _append_in_its_own_transaction(institution, gd, 1)])[0]
        assert isinstance(other, AuditEvent)
        assert AuditEvent.objects.get(pk=other.pk).seq == 1  # sealed at its commit, while the other is still open
    finally:
        release.set()
        holder.join(30)
    assert seal_all() == 0  # the held event was sealed by its own commit
    assert [e.action for e in AuditEvent.objects.filter(province=gd).order_by("seq")] == ["concurrent_1", "held"]
    assert verify_chain(gd).broken is None

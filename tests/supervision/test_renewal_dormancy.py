"""Dormancy (长期未发证): a filing without a certificate for the pack's months appears for review; off by default."""

import datetime as dt
from dataclasses import replace

import pytest

from filings.policies import base, get_pack
from portal.models import Province
from supervision import selectors
from tests.factories import certify, renewing_filing

pytestmark = pytest.mark.django_db


@pytest.fixture
def six_months(monkeypatch: pytest.MonkeyPatch) -> None:
    pack = get_pack("guizhou")
    monkeypatch.setitem(base._packs, "guizhou", replace(pack, settings=replace(pack.settings, dormancy_months=6)))


def test_dormancy_is_off_by_default() -> None:
    renewing_filing()
    assert not selectors.dormant_filings(Province.objects.get(slug="gz"), today=dt.date(2026, 1, 15)).exists()


def test_a_certificate_on_the_first_day_of_the_months_keeps_it_off_the_list(six_months: None) -> None:
    quiet = renewing_filing(occupations=1)
    active = renewing_filing(occupations=1)
    certify(quiet, quiet.occupations.get().occupation, 1, on=dt.date(2025, 7, 14))  # the day before the 6 months
    certify(active, active.occupations.get().occupation, 1, on=dt.date(2025, 7, 15))  # their first day

    dormant = selectors.dormant_filings(Province.objects.get(slug="gz"), today=dt.date(2026, 1, 15))

    assert list(dormant) == [quiet]

"""Certificate numbers (人社鉴发〔2019〕2号): 22 characters, type letter, organization code, province, organization
sequence, year, level, sequence; ranges reserved per organization × year × level, no repeat, no gap."""

import pytest
from django.db import transaction

from certificates import numbering
from certificates.models import CertificateCounter
from portal.errors import DomainError
from portal.models import City
from tests.factories import FilingFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("pack", "category", "letter"), [
    ("guangdong", "leading_enterprise", "S"),
    ("guangdong", "other", "S"),
    ("shandong", "enterprise", "S"),
    ("shandong", "technical_school", "S"),
    ("guizhou", "employer", "Y"),
    ("guizhou", "school", "S"),
    ("guizhou", "social_organization", "S"),
    ("a_fourth_pack", "employer", "Y"),
    ("a_fourth_pack", "association", "S"),
])
def test_organization_type_letter_per_pack_and_category(pack: str, category: str, letter: str) -> None:
    assert numbering.organization_type(pack, category) == letter


def test_a_filing_made_first_with_the_province_has_organization_code_0000() -> None:
    filing = FilingFactory(province="gd", organization_sequence="000123")  # no application: filed by the province

    assert numbering.filed_with_province(filing) is True
    assert numbering.organization_code(filing) == "0000"


def test_a_guangdong_filing_through_its_city_uses_the_city_code() -> None:
    shenzhen = City.objects.get(code="4403")
    filing = FilingFactory(province="gd", city_route=True,
                           institution=InstitutionFactory(province="gd", city=shenzhen))

    assert numbering.organization_code(filing) == "4403"


def test_a_shandong_filing_uses_the_last_four_digits_of_its_institution_code() -> None:
    through_qingdao = FilingFactory(province="sd", institution_code="37020015")
    with_the_province = FilingFactory(province="sd", institution_code="37000007")

    assert numbering.organization_code(through_qingdao) == "0015"
    assert numbering.organization_code(with_the_province) == "0000"


def test_the_prefix_and_a_number_have_exact_values() -> None:
    gd = FilingFactory(province="gd", organization_sequence="000123")
    gz = FilingFactory(province="gz", organization_sequence="000009",
                       institution=InstitutionFactory(province="gz", category="employer"))

    assert numbering.prefix(gd, 2026, 3) == "S000044000123263"
    assert numbering.format_number(numbering.prefix(gd, 2026, 3), 45) == "S000044000123263000045"
    assert numbering.format_number(numbering.prefix(gz, 2027, 5), 1) == "Y000052000009275000001"
    assert len(numbering.format_number(numbering.prefix(gz, 2027, 5), 1)) == 22


def test_parse_splits_a_number_into_its_parts() -> None:
    parts = numbering.parse_number(" s0015 37 000042 26 4 000317 ")

    assert parts == numbering.NumberParts("S", "0015", "37", "000042", "26", 4, 317)


@pytest.mark.parametrize("bad", [
    "", "S00004400012326300004", "S0000440001232630000450", "X000044000123263000045", "S000044000123263O00045",
    "S000044000123266000045",  # level 6 does not exist
])
def test_malformed_numbers_are_refused(bad: str) -> None:
    assert numbering.is_well_formed(bad) is False
    with pytest.raises(ValueError):
        numbering.parse_number(bad)


def test_ranges_follow_each_other_per_year_and_level() -> None:
    filing = FilingFactory()
    with transaction.atomic():
        first = numbering.reserve(filing, 2026, 3, 5)
        second = numbering.reserve(filing, 2026, 3, 3)
        other_level = numbering.reserve(filing, 2026, 4, 2)
        next_year = numbering.reserve(filing, 2027, 3, 1)

    assert (first, second, other_level, next_year) == (1, 6, 1, 1)
    assert CertificateCounter.objects.get(filing=filing, year=2026, level=3).value == 8


def test_a_rolled_back_batch_gives_its_range_back() -> None:
    filing = FilingFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        numbering.reserve(filing, 2026, 3, 10)
        raise RuntimeError("the batch failed")
    with transaction.atomic():
        assert numbering.reserve(filing, 2026, 3, 1) == 1


def test_the_six_digits_running_out_is_refused() -> None:
    filing = FilingFactory()
    with transaction.atomic():
        numbering.reserve(filing, 2026, 3, 999_990)
        with pytest.raises(DomainError) as refused:
            numbering.reserve(filing, 2026, 3, 11)
        assert numbering.reserve(filing, 2026, 3, 9) == 999_991

    assert refused.value.code == "certificate_sequence_exhausted"


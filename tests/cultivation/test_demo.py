"""The demo data of cultivation and filing: a Guangdong organization in cultivation, a Shandong one in the catalog."""

import pytest
from django.core.management import call_command
from django.test import Client

from filings.models import Cultivation, CultivationState, Filing, FilingStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_cultivation_and_a_published_shandong_filing_and_loads_twice_alike() -> None:
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)

    cultivation = Cultivation.objects.get(institution__members__user__username="gd-org-2")
    assert cultivation.state == CultivationState.ACTIVE
    assert [o.occupation.code for o in cultivation.occupations.all()] == ["6-18-02-04"]
    assert not cultivation.is_signed  # the organization's first task in the demo: sign the commitment letter
    filing = Filing.objects.get(institution__members__user__username="sd-org-1")
    assert filing.status == FilingStatus.ACTIVE
    assert filing.institution_code.startswith("3701")
    assert filing.published_at is not None
    catalog = Client().get("/catalog/sd/").content.decode()
    assert filing.institution.name in catalog and filing.institution_code in catalog

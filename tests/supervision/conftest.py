"""Fixtures of the supervision tests: a clean rate-limit cache and one issued certificate."""

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from certificates.models import Certificate
from tests.factories import a_certificate

HOLDER_ID = "44010619900307123X"


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def certificate(db: None) -> Certificate:
    return a_certificate(name="王小明", id_number=HOLDER_ID)

"""Fixtures of the supervision tests: one issued certificate (the cache is cleared by tests/conftest.py)."""


import pytest

from certificates.models import Certificate
from tests.factories import a_certificate

HOLDER_ID = "44010619900307123X"


@pytest.fixture
def certificate(db: None) -> Certificate:
    return a_certificate(name="王小明", id_number=HOLDER_ID)

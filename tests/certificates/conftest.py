"""Fixtures of the certificate tests: a certificate of a holder, for the skill-bank tests (account, API, share links)."""

import pytest

from certificates.models import Certificate
from tests.certificates.holders import HOLDER_ID
from tests.factories import a_certificate


@pytest.fixture
def mine() -> Certificate:
    """A Guangdong certificate of 王小明, the holder of the skill-bank tests."""
    return a_certificate("gd", name="王小明", id_number=HOLDER_ID)

"""On PostgreSQL the public lookup's two queries are prepared once per connection: the answers are the plain
query's, the statements are on the connection, a new connection prepares them again, and the setting turns it off."""

import pytest
from django.db import connection
from django.test import override_settings

from certificates import selectors
from tests.factories import a_certificate

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ID_NUMBER = "44010619900307123X"


@pytest.fixture(autouse=True)
def _postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PREPARE is PostgreSQL's")


def _statements() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall()}


def test_prepared_lookups_answer_as_the_plain_query_and_survive_a_new_connection() -> None:
    connection.close()  # a session of its own: a lookup of an earlier test may have prepared on this one
    first = a_certificate("gd", name="王小明", id_number=ID_NUMBER)
    second = a_certificate("sd", name="王小明", id_number=ID_NUMBER)
    with override_settings(CERTIFICATE_LOOKUP_PREPARED=False):
        plain = (selectors.find_by_number(first.number, "王小明"), selectors.find_by_id_number(ID_NUMBER, "王小明"))
    assert not {"certificates_lookup_number", "certificates_lookup_id_number"} & _statements()

    prepared = (selectors.find_by_number(first.number, "王小明"), selectors.find_by_id_number(ID_NUMBER, "王小明"))

    assert prepared == plain and plain[0] is not None and {c.number for c in plain[1]} == {first.number, second.number}
    assert {"certificates_lookup_number", "certificates_lookup_id_number"} <= _statements()
    assert selectors.find_by_number(second.number, "王小明") in prepared[1]
    assert selectors.find_by_number(first.number, "王小明明") is None  # the name is still checked

    connection.close()  # a reconnect: the new session has no statements until the next lookup prepares them
    assert not _statements()
    assert selectors.find_by_number(first.number, "王小明") == plain[0]
    assert "certificates_lookup_number" in _statements()

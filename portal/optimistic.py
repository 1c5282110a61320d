"""An idempotent read that checks its connection by using it.

With CONN_HEALTH_CHECKS (production), Django sends `SELECT 1` before the first query of every request that reuses a
connection, so that a connection PostgreSQL dropped (a restart, a failover) is replaced before a query fails on it.
For the public lookup that is a second round trip to the database on every request, as long as the query itself:
about 40 µs of processor time and one more wait (docs/performance.md). A read that can simply run again needs no
check beforehand: `read` runs it on the connection as it is and, if the connection turns out broken, closes it
and runs it once more on a new one, as the health check would have.

Only outside a transaction (inside one, a broken connection is the transaction's error to report), and only for
reads: running one twice must change nothing. tests/infra/test_drill_postgres_restart.py restarts PostgreSQL under
a running node and looks up between the two.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import InterfaceError, OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

T = TypeVar("T")


def read(db: BaseDatabaseWrapper, query: Callable[[Any], T]) -> T:
    """query(cursor) on `db`, without the per-request health check when its connection is reused outside a
    transaction; on a broken connection, once more on a new one."""
    wrapper: Any = db  # django-stubs lack the health check's attributes (Django 4.1+)
    if db.connection is not None and not db.in_atomic_block and wrapper.health_check_enabled \
            and not wrapper.health_check_done:
        wrapper.health_check_done = True  # this read is the check
        try:
            with db.cursor() as cursor:
                return query(cursor)
        except (OperationalError, InterfaceError):
            db.close()  # as a failed health check does; the next cursor connects afresh
    with db.cursor() as cursor:
        return query(cursor)

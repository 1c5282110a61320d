"""Counts of the home pages, compiled once per person and process: their SQL is kept, their results never are.

A worklist line or a dashboard figure is one COUNT that PostgreSQL answers in tens of microseconds from an index,
while Django's ORM takes 0.5–1.5 ms to build and compile the queryset around it. After a change the home page asks
some of them again (portal.homecache), and that compilation was most of what the first view after a change cost
(docs/performance.md). `count` and `rows` compile the queryset `build()` gives the first time a key is asked, keep
its SQL and parameters, and later run that SQL alone: every call reads the database, so a count is as fresh as the
ORM's.

The key is the caller's name for the query and everything an access-scoped queryset may depend on: the province,
the person, their roles, cities and institutions (ProvinceAccess), and the database it reads. A query that depends
on anything else (today's date, a setting, a pack's rule) must name it in `extra` — or not use this.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet

from .roles import ProvinceAccess

MAX_KEPT = 4096  # queries × people per process; the least recently asked go first

_kept: "OrderedDict[tuple[Hashable, ...], tuple[str, tuple[Any, ...]]]" = OrderedDict()
_lock = threading.Lock()  # a threaded server (make run) may evict a key while another thread moves it


def _key(name: str, access: ProvinceAccess, alias: str, extra: tuple[Hashable, ...]) -> tuple[Hashable, ...]:
    return (name, alias, access.province.pk, access.user.pk, tuple(sorted(access.roles)),
            tuple(sorted(access.city_ids())), tuple(sorted(access.institution_ids())), extra)


def _compiled(name: str, access: ProvinceAccess, model: type[Model], build: Callable[[], QuerySet[Any]],
              sql_of: Callable[[QuerySet[Any]], tuple[str, tuple[Any, ...]]],
              extra: tuple[Hashable, ...]) -> tuple[str, str, tuple[Any, ...]]:
    alias = router.db_for_read(model) or "default"
    key = _key(name, access, alias, extra)
    with _lock:
        kept = _kept.get(key)
        if kept is not None:
            _kept.move_to_end(key)
    if kept is None:
        queryset = build()  # compiled outside the lock: two threads may both compile a new key, to the same SQL
        if queryset.model is not model or queryset.db != alias:
            raise ValueError(f"{name}: the queryset reads {queryset.model.__name__} on {queryset.db}")
        kept = sql_of(queryset)
        with _lock:
            _kept[key] = kept
            if len(_kept) > MAX_KEPT:
                _kept.popitem(last=False)
    return alias, *kept


def _count_sql(queryset: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    sql, params = queryset.values("pk").query.sql_with_params()
    return f"SELECT COUNT(*) FROM ({sql}) counted", tuple(params)  # noqa: S608 - the ORM's own SQL, its values as parameters


def _rows_sql(queryset: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def count(name: str, access: ProvinceAccess, model: type[Model], build: Callable[[], QuerySet[Any]],
          extra: tuple[Hashable, ...] = ()) -> int:
    """build().count(), its SQL compiled once per key."""
    alias, sql, params = _compiled(name, access, model, build, _count_sql, extra)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


def rows(name: str, access: ProvinceAccess, model: type[Model], build: Callable[[], QuerySet[Any]],
         extra: tuple[Hashable, ...] = ()) -> list[tuple[Any, ...]]:
    """The rows of build() (a values_list queryset: plain columns and aggregates, no converters), its SQL compiled
    once per key."""
    alias, sql, params = _compiled(name, access, model, build, _rows_sql, extra)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]

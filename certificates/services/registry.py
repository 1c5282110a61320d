"""The officers' certificate registry exported as CSV in the national lookup's fields: the audit event and the lines."""

import csv
from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import QuerySet

from portal.audit import record_event
from portal.exports import Column
from portal.models import Province, User


class _Echo:
    """A file-like object whose write returns the line, so csv.writer yields lines to stream."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(certificates: QuerySet[Any], columns: Sequence[Column]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([c.header for c in columns])  # BOM: Excel opens it as UTF-8
    for certificate in certificates.iterator(chunk_size=2000):
        yield writer.writerow(["" if (v := c.value(certificate)) is None else v for c in columns])


def export_registry_csv(province: Province, certificates: QuerySet[Any], columns: Sequence[Column], *,
                        acting_user: User, export_name: str, title: str, params: dict[str, Any]) -> Iterator[str]:
    """Record the export (who, which filters) now, and return the CSV's lines to stream."""
    record_event(actor=acting_user, action="export", obj=province, province=province, reason=title,
                 changes={"export": f"{export_name}.csv", "params": params})
    return _csv_lines(certificates, columns)

"""PostgreSQL COPY, the one encoder: bulk inserts of rosters and certificates inside the caller's transaction."""

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection

__all__ = ["copy_field", "copy_rows", "copy_text"]

_TEXT_AS_SPACES = str.maketrans({"\\": "\\\\", "\t": " ", "\n": " ", "\r": " "})


def copy_text(value: str) -> str:
    """Free text for COPY's text format, flattened: backslashes doubled, tabs and line breaks as spaces."""
    return value.translate(_TEXT_AS_SPACES)


def copy_field(value: Any) -> str:
    """One field in COPY's text format, exact: None as \\N, backslash, tab and line breaks escaped."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    text = value if isinstance(value, str) else str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """COPY `rows` into `table` on the default connection (PostgreSQL only), inside the caller's transaction."""
    quote = connection.ops.quote_name
    buffer = io.StringIO()
    write = buffer.write
    for row in rows:
        write("\t".join(copy_field(value) for value in row))
        write("\n")
    buffer.seek(0)
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(sql, buffer)  # type: ignore[union-attr]  # psycopg2's cursor under Django's wrapper

"""Sections of a holder's lifelong record that apps above the certificates provide (e.g. the feedback they gave).

The holder's account lives in certificates, which may not import the apps above it: those register a provider here
from their AppConfig.ready(), and the account page, its PDF and its JSON ask every provider for its section.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RecordSection:
    """One table of the record: a stable key (the JSON's), a Chinese title, column headers and rows of text."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    empty_text: str = ""


Provider = Callable[[str], RecordSection]  # the holder's identity number -> their section
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a section provider (idempotent); usable as a decorator."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def sections_for(id_number: str) -> list[RecordSection]:
    """Every registered section of the person with this identity number: only that person's rows."""
    return [provider(id_number) for provider in _providers]

"""Notes on the public catalog's rows: apps register a function giving lines per organization, the catalog shows them.

The catalog (filings) and the apps that know more about an organization (supervision's published ranking bands)
meet here, so that neither imports the other.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .models import Province

__all__ = ["Note", "notes_for", "register"]


@dataclass(frozen=True)
class Note:
    """One line under an organization in the catalog, e.g. "焊工类 2026Q1：正常范围（2026-04-02 公示）"."""

    label: str
    text: str
    alert: bool = False


Annotator = Callable[[Province, list[int]], dict[int, list[Note]]]
_annotators: list[Annotator] = []


def register(annotator: Annotator) -> Annotator:
    if annotator not in _annotators:
        _annotators.append(annotator)
    return annotator


def notes_for(province: Province, institution_ids: list[int]) -> dict[int, list[Note]]:
    """Every registered note per institution id, in registration order."""
    notes: dict[int, list[Note]] = {}
    for annotator in _annotators:
        for institution_id, lines in annotator(province, institution_ids).items():
            notes.setdefault(institution_id, []).extend(lines)
    return notes

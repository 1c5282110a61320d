"""The one shape of a sweep: select the due ids through an index, in batches, and act on each through its service.

The selection is only a hint: the service re-checks the row under `select_for_update` and returns whether it acted,
so two sweeps at once (two beat schedulers, a retry) change each due row once. Keyset batches (`pk > last`) keep the
cost of each batch flat however many rows are due, and no batch holds a lock while the next is read.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

__all__ = ["SWEEP_BATCH_SIZE", "SweepResult", "sweep"]

SWEEP_BATCH_SIZE = 200


@dataclass
class SweepResult:
    seen: int = 0
    acted: int = 0

    def __int__(self) -> int:
        return self.acted


def sweep(due: QuerySet[Any], act: Callable[[int], object], *, batch_size: int = SWEEP_BATCH_SIZE) -> SweepResult:
    """Call `act(pk)` for every row of `due` in pk order, `batch_size` ids at a time; count the truthy answers."""
    result = SweepResult()
    last_pk = 0
    while True:
        ids = list(due.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return result
        for pk in ids:
            result.seen += 1
            if act(pk):
                result.acted += 1
        last_pk = ids[-1]

"""Demo data steps: each app registers the part it owns; `manage.py seed_demo` runs them in order.

Every step is idempotent (get_or_create by natural keys), so the run command can call it on each start.
"""

from collections.abc import Callable

DEMO_PASSWORD = "demo-2026"  # noqa: S105 - the documented demo password, never used in production

_steps: list[tuple[int, str, Callable[[], None]]] = []


def register(order: int, name: str) -> Callable[[Callable[[], None]], Callable[[], None]]:
    def decorator(step: Callable[[], None]) -> Callable[[], None]:
        if all(existing != name for _, existing, _ in _steps):
            _steps.append((order, name, step))
        return step

    return decorator


def steps() -> list[tuple[str, Callable[[], None]]]:
    return [(name, step) for _, name, step in sorted(_steps, key=lambda s: s[0])]

"""An entitled caller naming, in a request body, an object of another city, institution or province is refused
(4xx), learns nothing about it (neither its texts nor its state) and changes nothing — for every operation of the
committed schema whose body names an object (tests/security/foreign.py)."""

import pytest

from tests.security.foreign import (
    GOOD_BODIES,
    PAGE_FORMS,
    VARIANTS,
    BodyCase,
    body_cases,
    check_body,
    check_good_body,
    check_page_form,
    check_page_good_form,
)
from tests.security.world import World

CASES = body_cases()


def foreign_counts() -> str:
    """The line the terminal summary shows (tests/security/conftest.py)."""
    return (f"foreign objects in bodies: {len(OPERATIONS)} API operations, {len(CASES)} field × variant cases;"
            f" {len(PAGE_FORMS)} page forms × {len(VARIANTS)} variants")


OPERATIONS = sorted({(case.target, case.method) for case in CASES}, key=lambda op: (str(op[0].key), op[1]))


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_body_naming_an_object_out_of_reach_is_refused(case: BodyCase, world: World) -> None:
    failures = check_body(case, world)

    assert failures == [], "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize(("target", "method"), OPERATIONS, ids=[f"{m.upper()} {t.key}" for t, m in OPERATIONS])
def test_the_good_body_is_accepted(target, method: str, world: World) -> None:  # type: ignore[no-untyped-def]
    failures = check_good_body(target, method, world)

    assert failures == [], "\n".join(failures)


def test_every_operation_whose_body_names_an_object_has_a_good_body() -> None:
    keys = {str(target.key) for target, _ in OPERATIONS}

    assert keys - set(GOOD_BODIES) == set()
    assert set(GOOD_BODIES) - keys == set()
    # the selection leak's two operations are among them
    assert {"api_selection_panel_assign", "api_selection_panel_draw"} <= keys


@pytest.mark.django_db
@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("name", sorted(PAGE_FORMS))
def test_a_page_form_naming_an_object_out_of_reach_changes_nothing(name: str, variant: str, world: World) -> None:
    failures = check_page_form(name, variant, world)

    assert failures == [], "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PAGE_FORMS))
def test_the_good_page_form_changes_something(name: str, world: World) -> None:
    failures = check_page_good_form(name, world)

    assert failures == [], "\n".join(failures)

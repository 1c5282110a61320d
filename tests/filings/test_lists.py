"""The list pages of filings: a fixed number of queries whatever the number of rows, and the review list's Excel
export holds exactly the filtered rows."""

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from filings.models import Application
from portal.exports import XLSX
from portal.models import AuditEvent, User
from tests.factories import (
    PASTRY_CHEF,
    TEA,
    ApplicationFactory,
    ApplicationOccupationFactory,
    CallFactory,
    InstitutionFactory,
    city,
    city_officer,
    member_of,
    occupation,
    provincial_officer,
)

pytestmark = pytest.mark.django_db

# Measured with one row and pinned: the count must not grow with the rows (no N+1).
REVIEW_LIST_QUERIES = 12
INSTITUTION_LIST_QUERIES = 9
MY_APPLICATIONS_QUERIES = 8


def _applications(count: int, **traits: Any) -> list[Application]:
    """`count` submitted Guangzhou applications, each with two occupations and a reviewer."""
    call = CallFactory(province="gd")
    result = []
    for _ in range(count):
        application = ApplicationFactory(call=call, **({"in_city_review": True} | traits))
        ApplicationOccupationFactory(application=application, occupation=occupation(PASTRY_CHEF), levels=[5, 4])
        ApplicationOccupationFactory(application=application, occupation=occupation(TEA), levels=[3])
        result.append(application)
    return result


@pytest.mark.parametrize("rows", [1, 8])
def test_review_list_queries_do_not_grow_with_rows(
    rows: int, login: Callable[[User], Client], django_assert_max_num_queries: Callable[..., Any],
) -> None:
    _applications(rows)
    client = login(city_officer("gd", "4401"))

    with django_assert_max_num_queries(REVIEW_LIST_QUERIES):
        response = client.get("/gd/review/")

    assert response.status_code == 200
    assert len(response.context["object_list"]) == rows
    assert response.content.decode().count("中式面点师（五级/初级工、四级/中级工）") == rows


@pytest.mark.parametrize("rows", [1, 8])
def test_institution_list_queries_do_not_grow_with_rows(
    rows: int, login: Callable[[User], Client], django_assert_max_num_queries: Callable[..., Any],
) -> None:
    for _ in range(rows):
        InstitutionFactory(province="gd", city=city("4403"))
    client = login(provincial_officer("gd"))

    with django_assert_max_num_queries(INSTITUTION_LIST_QUERIES):
        response = client.get("/gd/institutions/")

    assert len(response.context["object_list"]) == rows
    assert response.content.decode().count("深圳市") >= rows


@pytest.mark.parametrize("rows", [1, 6])
def test_my_applications_queries_do_not_grow_with_rows(
    rows: int, login: Callable[[User], Client], django_assert_max_num_queries: Callable[..., Any],
) -> None:
    # given an institution with one application per call, some calls still open
    institution = InstitutionFactory(province="gd")
    for _ in range(rows):
        ApplicationFactory(institution=institution, submitted=True)
        CallFactory(province="gd")
    client = login(member_of(institution))

    with django_assert_max_num_queries(MY_APPLICATIONS_QUERIES):
        response = client.get("/gd/applications/")

    assert len(response.context["applications"]) == rows
    assert len(response.context["open_calls"]) == rows


def _sheet(content: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [["" if cell is None else cell for cell in row] for row in sheet.iter_rows(values_only=True)]


def test_review_list_export_holds_exactly_the_filtered_rows(login: Callable[[User], Client]) -> None:
    # given Guangzhou applications in review and two submitted, one returned, a draft, and one in Shenzhen
    in_review = _applications(2)
    _applications(2, in_city_review=False, submitted=True)
    ApplicationFactory(returned=True)
    ApplicationFactory()
    shenzhen = InstitutionFactory(province="gd", city=city("4403"))
    ApplicationFactory(institution=shenzhen, in_city_review=True)
    officer = city_officer("gd", "4401")

    # when the Guangzhou officer exports the list filtered to "in city review"
    response = login(officer).get("/gd/review/", {"state": "city_review", "export": "xlsx"})

    # then the workbook holds the header and exactly those two rows, in the page's order
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    rows = _sheet(response.content)
    assert rows[0] == ["机构名称", "统一社会信用代码", "地市", "申请类别", "申报职业", "批次", "状态", "提交时间", "初审截止", "经办人"]
    expected = sorted(in_review, key=lambda a: (a.submitted_at, a.pk))
    assert rows[1:] == [
        [
            a.institution.name, a.institution.credit_code, "广州市", "other",
            "4-03-02-02 中式面点师（五级/初级工、四级/中级工）；4-03-02-07 茶艺师（三级/高级工）",
            a.call.title, "地市初审中", timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(a.call.city_review_deadline).strftime("%Y-%m-%d %H:%M"), str(a.reviewer),
        ]
        for a in expected
    ]
    event = AuditEvent.objects.get(action="export")
    assert event.changes == {"export": "applications", "params": {"state": "city_review"}, "rows": 2}


def test_review_list_export_filters_by_occupation_without_duplicates(login: Callable[[User], Client]) -> None:
    tea = _applications(1)[0]  # with 中式面点师 and 茶艺师
    other = ApplicationFactory(in_city_review=True)
    ApplicationOccupationFactory(application=other, occupation=occupation("4-01-06-01"))

    response = login(city_officer("gd", "4401")).get(
        "/gd/review/", {"occupation": "4-03-02", "export": "xlsx"})

    assert [row[0] for row in _sheet(response.content)[1:]] == [tea.institution.name]

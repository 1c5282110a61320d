"""Supervision's entries for the tenancy test (tests/portal/test_tenancy.py): every supervision URL under a province
with an id names an organization (an institution holding a filing), a ranking or a fraud flag of that province. Other cities and other
organizations of the same province are in test_indicators_pages.py."""

import datetime as dt
from typing import Any

from django.utils import timezone

from portal.models import Province, User
from supervision.models import FlagKind, FraudFlag, Ranking
from supervision.services import current_formula
from tests.factories import FilingFactory
from tests.portal.tenancy_objects import MakeObject, MakeShared


def _organization(province: Province, requester: User) -> dict[str, Any]:
    return {"pk": FilingFactory(province=province).institution_id}


def _ranking(province: Province, requester: User) -> dict[str, Any]:
    ranking = Ranking.objects.create(
        province=province, group="6-18", period_kind="year", period="2026", period_start=dt.date(2026, 1, 1),
        formula=current_formula(province), min_n=30, created_by=requester)
    return {"pk": ranking.pk}


def _flag(province: Province, requester: User) -> dict[str, Any]:
    flag = FraudFlag.objects.create(province=province, kind=FlagKind.SHARED_MOBILE, key=f"t:{requester.pk}",
                                    summary="t", found_at=timezone.now(),
                                    institution=FilingFactory(province=province).institution)
    return {"pk": flag.pk}


TENANT_OBJECTS: dict[str, MakeObject] = {
    "supervision:organization": _organization,
    "supervision:declare_enrolment": _organization,
    "supervision:declare_price": _organization,
    "supervision:rate_holder": _organization,
    "api_supervision_feedback": _organization,
    "api_supervision_enrolment": _organization,
    "api_supervision_prices": _organization,
    "supervision:ranking_detail": _ranking,
    "api_supervision_ranking": _ranking,
    "api_supervision_ranking_publish": _ranking,
    "supervision:flag_detail": _flag,
    "api_supervision_flag": _flag,
    "api_supervision_flag_dismiss": _flag,
}

SHARED_OBJECTS: dict[str, tuple[str, MakeShared]] = {}

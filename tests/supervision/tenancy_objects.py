"""Supervision's entries for the tenancy test (tests/portal/test_tenancy.py): every supervision URL under a province
with an id names an organization (an institution holding a filing) of that province. Other cities and other
organizations of the same province are in test_indicators_pages.py."""

from typing import Any

from portal.models import Province, User
from tests.factories import FilingFactory
from tests.portal.tenancy_objects import MakeObject, MakeShared


def _organization(province: Province, requester: User) -> dict[str, Any]:
    return {"pk": FilingFactory(province=province).institution_id}


TENANT_OBJECTS: dict[str, MakeObject] = {
    "supervision:organization": _organization,
    "supervision:declare_enrolment": _organization,
    "supervision:declare_price": _organization,
    "supervision:rate_holder": _organization,
    "api_supervision_feedback": _organization,
    "api_supervision_enrolment": _organization,
    "api_supervision_prices": _organization,
}

SHARED_OBJECTS: dict[str, tuple[str, MakeShared]] = {}

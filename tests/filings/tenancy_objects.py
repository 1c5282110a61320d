"""Filings' entries for the tenancy test (tests/portal/test_tenancy.py): every filings URL under a province with an id.

Each entry makes an object of the given province: a submitted application (officers may read it; its institution's
pages are the applicant's own), with an occupation and a stored PDF where the URL names them. The applicant's pages
(application_detail … withdraw, api_my_application, api_application_*) admit only members of the institution, so a
Guangdong officer gets 404 there for any reason; the officers' pages (review_detail, evidence_download,
institution_detail, api_review_*, api_application_precheck) are where the province scoping is proven, and the control
test opens them for the province's own officer. Other cities of the same province are in tests/filings/test_access.py.
"""

from typing import Any

from portal.models import Province, User
from tests.factories import ApplicationFactory, ApplicationOccupationFactory, CallFactory, EvidenceFactory
from tests.portal.tenancy_objects import MakeObject, MakeShared


def _application(province: Province, requester: User) -> dict[str, Any]:
    return {"pk": ApplicationFactory(province=province, submitted=True).pk}


def _occupation(province: Province, requester: User) -> dict[str, Any]:
    item = ApplicationOccupationFactory(application=ApplicationFactory(province=province, submitted=True))
    return {"pk": item.application_id, "item_pk": item.pk}


def _evidence_of_application(province: Province, requester: User) -> dict[str, Any]:
    evidence = EvidenceFactory(application=ApplicationFactory(province=province, submitted=True))
    return {"pk": evidence.application_id, "evidence_pk": evidence.pk}


def _evidence(province: Province, requester: User) -> dict[str, Any]:
    return {"pk": EvidenceFactory(application=ApplicationFactory(province=province, submitted=True)).pk}


def _institution(province: Province, requester: User) -> dict[str, Any]:
    return {"pk": ApplicationFactory(province=province, submitted=True).institution_id}


def _call(province: Province, requester: User) -> dict[str, Any]:
    return {"call_pk": CallFactory(province=province).pk}


TENANT_OBJECTS: dict[str, MakeObject] = {
    # the applicant's workspace (institution members only)
    "filings:application_start": _call,
    "filings:application_detail": _application,
    "filings:application_facts": _application,
    "filings:occupation_add": _application,
    "filings:occupation_remove": _occupation,
    "filings:evidence_upload": _application,
    "filings:evidence_remove": _evidence_of_application,
    "filings:pledge": _application,
    "filings:submit": _application,
    "filings:withdraw": _application,
    # officers (and, for files, the the_member)
    "filings:evidence_download": _evidence,
    "filings:institution_detail": _institution,
    "filings:institution_credit_code": _institution,
    "api_institution_credit_code": _institution,
    "filings:review_detail": _application,
    # the API, applicant's side
    "api_my_application": _application,
    "api_application_occupations": _application,
    "api_application_occupation": _occupation,
    "api_application_facts": _application,
    "api_application_evidence": _application,
    "api_application_precheck": _application,
    "api_application_pledge": _application,
    "api_application_submit": _application,
    "api_application_withdraw": _application,
    # the API, officer's side
    "api_review_detail": _application,
    "api_review_start": _application,
    "api_review_return": _application,
    "api_review_not_recommend": _application,
    "api_review_pass": _application,
}

SHARED_OBJECTS: dict[str, tuple[str, MakeShared]] = {}

"""Renewal pages and API: the organization's home shows its validity and window, officers see and export the list,
and the API answers with the pre-check's figures and stable codes."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from portal.models import User
from tests.factories import at, officer, provincial_officer, renewing_filing, the_member
from tests.supervision.test_renewal import OPENS, _submitted_employer

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def test_the_organizations_home_shows_validity_window_and_what_is_due(login: Login) -> None:
    filing = renewing_filing()
    client = login(the_member(filing))
    with at(OPENS):
        page = client.get("/gz/supervision/renewal/").content.decode()
    assert "2023-07-01 — 2026-06-30" in page
    assert "2026-04-01 — 2026-06-30" in page
    assert "续期申请期已开始" in page
    assert f'id="start-renewal-{filing.pk}"' in page


def test_before_the_window_the_home_says_when_it_opens(login: Login) -> None:
    filing = renewing_filing()
    with at(dt.date(2026, 3, 31)):
        page = login(the_member(filing)).get("/gz/supervision/renewal/").content.decode()
    assert "续期申请期自 2026-04-01 开始" in page
    assert "start-renewal" not in page


def test_officers_review_on_the_page_and_export_the_list(login: Login) -> None:
    renewal = _submitted_employer()
    client = login(provincial_officer("gz"))
    page = client.get(f"/gz/supervision/renewals/{renewal.pk}/").content.decode()
    assert "gz.renewal.certificates_total" in page and "003 第八条(二)" in page
    assert 'id="approve-renewal"' in page

    returned = client.post(f"/gz/supervision/renewals/{renewal.pk}/decide/", {"decision": "return", "reason": ""},
                           follow=True)
    assert "请填写理由" in returned.content.decode()

    export = client.get("/gz/supervision/renewals/?export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")
    certificates = client.get(f"/gz/supervision/renewals/{renewal.pk}/certificates/")
    assert certificates.status_code == 200


def test_another_province_and_another_organization_get_404(login: Login) -> None:
    renewal = _submitted_employer()
    assert login(officer("gd")).get(f"/gd/supervision/renewals/{renewal.pk}/").status_code == 404
    stranger = the_member(renewing_filing())
    assert login(stranger).get(f"/gz/supervision/renewals/{renewal.pk}/").status_code == 404


def test_the_api_runs_the_review_with_stable_codes(login: Login) -> None:
    renewal = _submitted_employer()
    client = login(provincial_officer("gz"))
    url = f"/api/v1/gz/supervision/renewals/{renewal.pk}/"

    detail: dict[str, Any] = client.get(url).json()
    assert detail["check"]["total"] == 150
    assert detail["state"] == "submitted"

    refused = client.post(url + "decision/", {"decision": "refuse", "reason": ""}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "reason_required"
    approved = client.post(url + "decision/", {"decision": "approve"}, content_type="application/json")
    assert approved.status_code == 200
    assert approved.json()["new_valid_until"] == "2029-06-30"
    again = client.post(url + "decision/", {"decision": "approve"}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"


def test_the_api_refuses_a_start_outside_the_window(login: Login) -> None:
    filing = renewing_filing()
    with at(dt.date(2026, 3, 31)):
        response = login(the_member(filing)).post("/api/v1/gz/supervision/renewals/", {"filing_id": filing.pk},
                                                  content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "renewal_not_open"


def test_the_demo_has_a_guizhou_organization_in_its_renewal_window(login: Login) -> None:
    from django.core.management import call_command

    from filings.models import Filing
    from supervision import selectors

    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)  # idempotent
    filing = Filing.objects.get(filing_number="黔技评备〔演示〕52号")
    window = selectors.renewal_window(filing)
    assert window.is_open and window.days_left == 60
    home = login(the_member(filing)).get("/gz/").content.decode()
    assert "备案有效期即将届满，请提交续期申请" in home


def test_officers_download_the_materials_the_organization_uploaded_and_the_read_is_audited(login: Login) -> None:
    from portal.models import AuditEvent

    renewal = _submitted_employer()
    documents = list(renewal.documents.all())
    assert documents
    client = login(provincial_officer("gz"))
    page = client.get(f"/gz/supervision/renewals/{renewal.pk}/").content.decode()
    for document in documents:
        url = f"/gz/supervision/renewals/{renewal.pk}/documents/{document.pk}/"
        assert f'href="{url}"' in page
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == document.file.open("rb").read()  # type: ignore[attr-defined]
        assert response["Content-Disposition"].startswith("attachment")
    assert AuditEvent.objects.filter(action="renewal_document_downloaded", object_id=str(renewal.pk)).count() == len(
        documents)

    first = f"/gz/supervision/renewals/{renewal.pk}/documents/{documents[0].pk}/"
    assert login(the_member(renewal.filing)).get(first).status_code == 200
    assert login(the_member(renewing_filing())).get(first).status_code == 404
    assert login(officer("gd")).get(first.replace("/gz/", "/gd/")).status_code == 404
    other = _submitted_employer()
    assert client.get(f"/gz/supervision/renewals/{other.pk}/documents/{documents[0].pk}/").status_code == 404

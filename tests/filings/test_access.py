"""Who reaches an application and its files: another city's officer, another institution's member, an officer on
the applicant's pages, a draft, a province-route application — all 404, in the UI and the API, and nothing changes."""

from collections.abc import Callable

import pytest
from django.test import Client

from filings.models import Application, ApplicationState, Route
from portal.models import AuditEvent, User
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    EvidenceFactory,
    TokenFactory,
    city,
    city_officer,
    member_of,
    pdf_bytes,
    provincial_officer,
    the_member,
)

pytestmark = pytest.mark.django_db

S = ApplicationState


def _guangzhou_application(**traits: object) -> Application:
    """A submitted application of a Guangzhou (4401) institution, with one stored PDF."""
    application = ApplicationFactory(province="gd", submitted=True, **traits)
    EvidenceFactory(application=application, checklist_key="application_form", content=pdf_bytes("申请表"),
                    original_name="申请表.pdf")
    return application


def _officer_urls(application: Application) -> dict[str, tuple[str, str]]:
    evidence = application.evidence.get()
    pk = application.pk
    return {
        "review_detail": ("get", f"/gd/review/{pk}/"),
        "review_detail_start": ("post", f"/gd/review/{pk}/"),
        "evidence_download": ("get", f"/gd/evidence/{evidence.pk}/"),
        "institution_detail": ("get", f"/gd/institutions/{application.institution_id}/"),
        "api_review_detail": ("get", f"/api/v1/gd/review/{pk}/"),
        "api_review_start": ("post", f"/api/v1/gd/review/{pk}/start/"),
        "api_review_pass": ("post", f"/api/v1/gd/review/{pk}/pass/"),
        "api_review_return": ("post", f"/api/v1/gd/review/{pk}/return/"),
        "api_review_not_recommend": ("post", f"/api/v1/gd/review/{pk}/not-recommend/"),
        "api_application_precheck": ("get", f"/api/v1/gd/applications/{pk}/precheck/"),
    }


def _answers(client: Client, urls: dict[str, tuple[str, str]], **headers: str) -> dict[str, int]:
    answers = {}
    for name, (method, url) in urls.items():
        if method == "get":
            answers[name] = client.get(url, **headers).status_code
        elif url.startswith("/api/"):
            body = {"reason": "理由", "items": [{"target": "doc:staff_list", "target_label": "名单", "problem": "缺"}]}
            answers[name] = client.post(url, body, content_type="application/json", **headers).status_code
        else:
            answers[name] = client.post(url, {"action": "start"}, **headers).status_code
    return answers


def test_officer_of_another_city_in_the_province_gets_404_for_the_application_and_its_files(
    login: Callable[[User], Client],
) -> None:
    # given a Guangzhou application and an officer of Shenzhen (4403), same province
    application = _guangzhou_application()
    shenzhen = city_officer("gd", "4403")
    urls = _officer_urls(application)

    # when they ask for every officer page and endpoint of it, with a session and with a token
    with_session = _answers(login(shenzhen), urls)
    with_token = _answers(Client(), {k: v for k, v in urls.items() if k.startswith("api_")},
                          HTTP_AUTHORIZATION=f"Token {TokenFactory(user=shenzhen).key}")

    # then none of it exists for them, and nothing was done
    assert with_session == dict.fromkeys(urls, 404)
    assert with_token == dict.fromkeys(with_token, 404)
    application.refresh_from_db()
    assert (application.state, application.reviewer) == (S.SUBMITTED, None)
    assert AuditEvent.objects.count() == 0


def test_officer_of_the_applications_city_reads_it_and_its_file(login: Callable[[User], Client]) -> None:
    # control for the test above: the same URLs serve Guangzhou's own officer
    application = _guangzhou_application()
    client = login(city_officer("gd", "4401"))

    page = client.get(f"/gd/review/{application.pk}/")
    download = client.get(f"/gd/evidence/{application.evidence.get().pk}/")
    api = client.get(f"/api/v1/gd/review/{application.pk}/")

    assert page.status_code == 200
    assert page.context["application"] == application
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes("申请表")
    assert download["Content-Disposition"].startswith("attachment;")
    assert api.status_code == 200
    assert api.json()["id"] == application.pk


def test_an_officer_download_is_audited(login: Callable[[User], Client]) -> None:
    application = _guangzhou_application()
    officer = city_officer("gd", "4401")

    login(officer).get(f"/gd/evidence/{application.evidence.get().pk}/")

    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.object_id, event.changes) == (
        officer, "evidence_downloaded", str(application.pk), {"file": "申请表.pdf"}
    )


def test_member_of_another_institution_gets_404_for_the_applicants_pages_and_files(
    login: Callable[[User], Client],
) -> None:
    # given a Guangzhou draft with a file, and a member of another Guangzhou institution
    application = ApplicationFactory(province="gd")
    evidence = EvidenceFactory(application=application)
    other = member_of(ApplicationFactory(province="gd").institution)
    client = login(other)
    token = {"HTTP_AUTHORIZATION": f"Token {TokenFactory(user=other).key}"}
    pk = application.pk

    # when they open or post to every page of that application
    answers = {
        "application_detail": client.get(f"/gd/applications/{pk}/").status_code,
        "application_facts": client.post(f"/gd/applications/{pk}/facts/", {"venue_area_m2": "999"}).status_code,
        "pledge": client.post(f"/gd/applications/{pk}/pledge/", {"signer": "他人", "confirm": "on"}).status_code,
        "submit": client.post(f"/gd/applications/{pk}/submit/").status_code,
        "evidence_remove": client.post(f"/gd/applications/{pk}/evidence/{evidence.pk}/remove/").status_code,
        "evidence_download": client.get(f"/gd/evidence/{evidence.pk}/").status_code,
        "api_my_application": Client().get(f"/api/v1/gd/applications/{pk}/", **token).status_code,
        "api_application_pledge": Client().post(
            f"/api/v1/gd/applications/{pk}/pledge/", {}, content_type="application/json", **token).status_code,
        "api_application_submit": Client().post(f"/api/v1/gd/applications/{pk}/submit/", **token).status_code,
        "api_application_precheck": Client().get(f"/api/v1/gd/applications/{pk}/precheck/", **token).status_code,
    }

    # then it does not exist for them and nothing changed
    assert answers == dict.fromkeys(answers, 404)
    application.refresh_from_db()
    assert (application.state, application.facts, application.pledge_confirmed_at) == (S.DRAFT, {}, None)
    assert application.evidence.get().removed_at is None
    assert AuditEvent.objects.count() == 0


def test_officers_get_404_on_the_applicants_own_pages(login: Callable[[User], Client]) -> None:
    # the workspace is the institution's: even the officer who reviews the application does not open it there
    application = _guangzhou_application()
    answers = {
        role: login(user).get(f"/gd/applications/{application.pk}/").status_code
        for role, user in (("city", city_officer("gd", "4401")), ("province", provincial_officer("gd")))
    }

    assert answers == {"city": 404, "province": 404}


def test_officers_do_not_see_drafts(login: Callable[[User], Client]) -> None:
    # given a Guangzhou draft with a file (its own member sees both)
    draft = ApplicationFactory(province="gd")
    evidence = EvidenceFactory(application=draft)
    own = login(the_member(draft))
    assert own.get(f"/gd/evidence/{evidence.pk}/").status_code == 200

    # then neither the city's nor the province's officer reaches it before it is submitted
    for officer in (city_officer("gd", "4401"), provincial_officer("gd")):
        client = login(officer)
        assert client.get(f"/gd/review/{draft.pk}/").status_code == 404
        assert client.get(f"/gd/evidence/{evidence.pk}/").status_code == 404
        assert client.get(f"/api/v1/gd/review/{draft.pk}/").status_code == 404


def test_a_province_route_application_is_the_provinces_not_the_citys(login: Callable[[User], Client]) -> None:
    # given a province-route application of a Guangzhou institution
    application = ApplicationFactory(province="gd", submitted=True, route=Route.PROVINCE)

    city_answer = login(city_officer("gd", "4401")).get(f"/gd/review/{application.pk}/").status_code
    province_answer = login(provincial_officer("gd")).get(f"/gd/review/{application.pk}/").status_code

    assert (city_answer, province_answer) == (404, 200)


def test_review_list_holds_only_the_officers_city(login: Callable[[User], Client]) -> None:
    guangzhou = ApplicationFactory(province="gd", submitted=True)
    shenzhen_institution = ApplicationFactory.build(province="gd").institution
    shenzhen_institution.city = city("4403")
    shenzhen_institution.save()
    ApplicationFactory(province="gd", submitted=True, institution=shenzhen_institution)
    ApplicationFactory(province="gd")  # a Guangzhou draft
    ApplicationFactory(province="sd", submitted=True)

    page = login(city_officer("gd", "4401")).get("/gd/review/")
    api = login(city_officer("gd", "4401")).get("/api/v1/gd/review/")

    assert [a.pk for a in page.context["object_list"]] == [guangzhou.pk]
    assert [row["id"] for row in api.json()["results"]] == [guangzhou.pk]


def test_an_applicant_cannot_apply_in_another_provinces_call(login: Callable[[User], Client]) -> None:
    # given a Guangdong institution's member and an open Shandong call
    member = the_member(ApplicationFactory(province="gd"))
    shandong_call = CallFactory(province="sd")
    token = {"HTTP_AUTHORIZATION": f"Token {TokenFactory(user=member).key}"}

    answers = {
        "page under gd": login(member).post(f"/gd/calls/{shandong_call.pk}/apply/").status_code,
        "page under sd": login(member).post(f"/sd/calls/{shandong_call.pk}/apply/").status_code,
        "api under gd": Client().post("/api/v1/gd/applications/", {"call": shandong_call.pk},
                                      content_type="application/json", **token).status_code,
    }

    assert answers == dict.fromkeys(answers, 404)
    assert Application.objects.filter(call=shandong_call).count() == 0

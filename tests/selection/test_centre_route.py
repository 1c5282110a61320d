"""The route each pack prescribes after submission: Shandong's centre evaluates, decides, publicises and files with the
institution code itself (002 三(二)4) — no provincial selection, no leadership approval — while Guangdong (001 一(二))
and Guizhou (003 silent: the documented default) keep the provincial selection and its approval."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from filings import selectors as filing_selectors, services as filing_services
from filings.models import Application, Filing, LetterKind
from filings.policies import SelectionBy, get_pack
from portal import publicity
from portal.errors import DomainError, InvalidTransition
from portal.models import AuditEvent, PublicityNotice, User
from selection import selectors as selection_selectors, services
from tests.factories import ApplicationFactory, CallFactory, MembershipFactory, TokenFactory, the_member

pytestmark = pytest.mark.django_db


def _city_officer(province: str) -> User:
    return MembershipFactory(province=province, city_officer=True).user  # type: ignore[no-any-return]


def _determined_in_jinan(call_kwargs: dict[str, object] | None = None) -> tuple[list[Application], User]:
    """Three Jinan applications evaluated by the city: two determined, one not; the city's result sent."""
    call = CallFactory(closed=True, province="sd", **(call_kwargs or {}))
    apps = [ApplicationFactory(city_scoring=True, province="sd", call=call) for _ in range(3)]
    officer = _city_officer("sd")
    for n, application in enumerate(apps):
        services.decide_recommendation(application, acting_user=officer, recommended=n < 2,
                                       reason="" if n < 2 else "评估得分较低")
    services.send_summary_table(call, apps[0].city, acting_user=officer)
    return [Application.objects.get(pk=a.pk) for a in apps], officer


def test_each_pack_names_its_route() -> None:
    assert get_pack("shandong").settings.selection_by == SelectionBy.CENTRE
    assert get_pack("guangdong").settings.selection_by == SelectionBy.PROVINCE
    assert get_pack("guizhou").settings.selection_by == SelectionBy.PROVINCE  # 003 silent: the documented default


def test_a_shandong_city_decides_publicises_and_files_with_the_institution_code(monday) -> None:  # type: ignore[no-untyped-def]
    apps, officer = _determined_in_jinan()
    assert [a.state for a in apps] == ["selected", "selected", "not_recommended"]
    assert AuditEvent.objects.filter(action="application_determined", object_id=str(apps[0].pk)).exists()
    assert not AuditEvent.objects.filter(action="application_recommended").exists()
    assert "无需领导小组审定" in filing_selectors.next_step(apps[0])

    # the province has nothing of Jinan's to select, approve or publish
    province = apps[0].call.created_by
    assert not selection_selectors.province_applications(apps[0].call).exists()
    with pytest.raises(DomainError) as approval:
        services.record_approval(apps[0].call, acting_user=province, meeting_date=dt.date(2026, 5, 29),
                                 document_number="鲁〔2026〕1号",
                                 attachment=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%x\n", "application/pdf"))
    assert (approval.value.code, approval.value.status) == ("no_leadership_approval", 409)
    with pytest.raises(DomainError) as provincial:
        services.publish_selection(apps[0].call, acting_user=province)
    assert provincial.value.code == "nothing_to_publish"

    # the city publishes its own result; publicity ended, each is filed with an institution code and a receipt
    notice = services.publish_selection(apps[0].call, acting_user=officer, city=apps[0].city)
    assert notice.source == f"filings.call:{apps[0].call_id}:3701"
    assert "济南市职业技能鉴定（指导）中心" in notice.title and "领导小组" not in notice.body
    assert sorted(Application.objects.filter(call=apps[0].call).values_list("state", flat=True)) == [
        "in_publicity", "in_publicity", "not_recommended"]
    assert publicity.end_notice(notice.pk, today=notice.ends_on + dt.timedelta(days=1))

    filings = list(Filing.objects.filter(application__in=apps[:2]).order_by("pk"))
    assert [f.institution_code[:4] for f in filings] == ["3701", "3701"]
    assert all(f.letters.get().kind == LetterKind.RECEIPT for f in filings)
    assert all(f.reported_at is None for f in filings)  # the city reports its list to the province next
    assert filing_services.report_filings(apps[0].city, acting_user=officer) == 2


def test_a_shandong_application_filed_with_the_province_is_decided_by_the_provincial_centre(monday) -> None:  # type: ignore[no-untyped-def]
    call = CallFactory(closed=True, province="sd")
    application = ApplicationFactory(province_route=True, province="sd", call=call)
    province = call.created_by
    services.start_province_review(application, acting_user=province)
    selected, _ = services.decide_selection(call, acting_user=province, selected_ids=[application.pk], reason="")
    assert selected[0].state == "selected"
    assert "省职业技能鉴定指导中心" in filing_selectors.next_step(selected[0])

    notice = services.publish_selection(call, acting_user=province)

    assert notice.source == f"filings.call:{call.pk}" and "省职业技能鉴定指导中心" in notice.title
    assert Application.objects.get(pk=application.pk).state == "in_publicity"


def test_guangdong_keeps_the_provincial_selection_and_its_approval(monday) -> None:  # type: ignore[no-untyped-def]
    call = CallFactory(closed=True)
    application = ApplicationFactory(city_scoring=True, call=call)
    officer = _city_officer("gd")
    with pytest.raises(InvalidTransition) as determined:
        filing_services.determine_application(application, acting_user=officer)
    assert determined.value.code == "provincial_selection_required"

    services.decide_recommendation(application, acting_user=officer, recommended=True)
    services.send_summary_table(call, application.city, acting_user=officer)
    application.refresh_from_db()
    assert application.state == "recommended"
    province = call.created_by
    filing_services.start_province_review(application, acting_user=province)
    services.decide_selection(call, acting_user=province, selected_ids=[application.pk], reason="")
    application.refresh_from_db()
    assert filing_selectors.next_step(application) == "下一步：报领导小组审定，审定后公示。"
    with pytest.raises(InvalidTransition) as unapproved:
        filing_services.publish_application(application, acting_user=province)
    assert unapproved.value.code == "provincial_selection_required"
    with pytest.raises(DomainError) as city_publishes:
        services.publish_selection(call, acting_user=officer, city=application.city)
    assert city_publishes.value.code == "not_permitted"


def test_a_shandong_city_cannot_recommend_to_the_province() -> None:
    application = ApplicationFactory(city_scoring=True, province="sd", call=CallFactory(closed=True, province="sd"))
    with pytest.raises(InvalidTransition) as refused:
        filing_services.recommend_application(application, acting_user=_city_officer("sd"))
    assert refused.value.code == "no_provincial_selection"


def test_the_city_publishes_over_the_api_and_the_province_cannot_record_an_approval(monday) -> None:  # type: ignore[no-untyped-def]
    apps, officer = _determined_in_jinan()
    city = Client(HTTP_AUTHORIZATION=f"Token {TokenFactory(user=officer).key}")
    province = Client(HTTP_AUTHORIZATION=f"Token {TokenFactory(user=apps[0].call.created_by).key}")
    url = reverse("api_selection_city_publish", kwargs={"province": "sd", "call_pk": apps[0].call_id, "city": "3701"})

    published = city.post(url)
    again = city.post(url)
    approval = province.post(
        reverse("api_selection_approval", kwargs={"province": "sd", "call_pk": apps[0].call_id}),
        {"meeting_date": "2026-05-29", "document_number": "鲁〔2026〕1号",
         "attachment": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%x\n", content_type="application/pdf")})
    detail = Client(HTTP_AUTHORIZATION=f"Token {TokenFactory(user=the_member(apps[0])).key}").get(
        f"/api/v1/sd/applications/{apps[0].pk}/")

    assert published.status_code == 201
    assert PublicityNotice.objects.get(pk=published.json()["id"]).source.endswith(":3701")
    assert (again.status_code, again.json()["code"]) == (400, "nothing_to_publish")
    assert (approval.status_code, approval.json()["code"]) == (409, "no_leadership_approval")
    assert detail.status_code == 200
    assert detail.json()["next_step"] == "公示期满无异议的，赋予机构代码并出具回执，再由地市报省。"


def test_the_pages_say_the_route_and_the_city_publishes_from_its_table(monday, client: Client) -> None:  # type: ignore[no-untyped-def]
    apps, officer = _determined_in_jinan()
    client.force_login(officer)
    url = reverse("selection:city_table", kwargs={"province": "sd", "call_pk": apps[0].call_id, "city": "3701"})
    page = client.get(url).content.decode()
    assert "不再报省遴选，也无需领导小组审定" in page and 'id="publish-city"' in page

    published = client.post(url, {"action": "publish"}, follow=True).content.decode()

    assert "遴选结果公示已发布。公示期满无异议的，赋予机构代码并出具回执。" in published
    assert 'id="publish-city"' not in published and "评价机构遴选结果公示（济南市职业技能鉴定（指导）中心）" in published
    member = Client()
    member.force_login(the_member(apps[0]))
    applicant_page = member.get(reverse("filings:application_detail", kwargs={"province": "sd", "pk": apps[0].pk}))
    assert "公示期满无异议的，赋予机构代码并出具回执，再由地市报省。" in applicant_page.content.decode()
    province = Client()
    province.force_login(apps[0].call.created_by)
    ranking = province.get(reverse("selection:province_ranking", kwargs={"province": "sd", "call_pk": apps[0].call_id}))
    assert 'id="approval-form"' not in ranking.content.decode() and "本页只列直接向省申报的申请" in ranking.content.decode()

"""The credit code at registration belongs to the province (its 3rd–8th characters are the registering authority's
region), and once an application was submitted only a provincial officer corrects it, with an audit event."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from portal.models import AuditEvent, Institution, User
from tests.factories import ApplicationFactory, InstitutionFactory, city, credit_code, provincial_officer, the_member

pytestmark = pytest.mark.django_db

BEIJING_CHAOYANG = credit_code("110105", 7)


def _page_registration(credit: str) -> dict[str, str]:
    return {
        "username": "xiehui", "display_name": "谢晖", "mobile": "13912345678", "email": "xiehui@example.cn",
        "password1": "Skill-portal-2026", "password2": "Skill-portal-2026",
        "name": "广东省焊接协会", "credit_code": credit, "category": "other", "nature": "social_group", "level": "city",
        "city": str(city("4401").pk), "address": "广州市天河路1号", "legal_representative": "王强",
        "registered_capital": "", "contact_person": "李华", "contact_title": "", "contact_phone": "020-12345678",
        "contact_email": "",
    }


def test_a_beijing_credit_code_is_refused_at_registration_beside_the_field() -> None:
    response = Client().post("/gd/register/", _page_registration(BEIJING_CHAOYANG))

    assert response.status_code == 200
    assert response.context["form"].errors == {"credit_code": [
        "统一社会信用代码第3–8位（登记管理机关行政区划代码）为110105，属于北京市，不在广东省；"
        "本省只受理在广东省登记的机构，请核对代码。"
    ]}
    assert (User.objects.filter(username="xiehui").exists(), Institution.objects.count()) == (False, 0)


def test_the_api_refuses_another_provinces_credit_code_with_a_stable_code() -> None:
    body = {
        "username": "xiehui", "password": "Skill-portal-2026", "email": "xiehui@example.cn", "mobile": "13912345678",
        "display_name": "谢晖",
        "institution": {
            "name": "广东省焊接协会", "credit_code": BEIJING_CHAOYANG, "category": "other", "nature": "social_group",
            "level": "city", "city": "4401", "address": "广州市天河路1号", "legal_representative": "王强",
            "contact_person": "李华", "contact_phone": "020-12345678",
        },
    }
    response = Client().post("/api/v1/gd/register/", body, content_type="application/json")

    assert (response.status_code, response.json()["code"], response.json()["region"]) == (
        400, "uscc_other_province", "110105")
    assert Institution.objects.count() == 0


def test_a_guangdong_credit_code_registers() -> None:
    response = Client().post("/gd/register/", _page_registration(credit_code("440106", 7)))

    assert response.status_code == 302
    assert Institution.objects.get().credit_code == credit_code("440106", 7)


def _institution_form(institution: Institution, **changes: Any) -> dict[str, Any]:
    data = {
        "name": institution.name, "credit_code": institution.credit_code, "category": institution.category,
        "nature": institution.nature, "level": institution.level, "city": institution.city_id,
        "address": institution.address, "legal_representative": institution.legal_representative,
        "registered_capital": institution.registered_capital or "", "contact_person": institution.contact_person,
        "contact_title": institution.contact_title, "contact_phone": institution.contact_phone,
        "contact_email": institution.contact_email,
    }
    return {**data, **changes}


def test_before_any_submission_the_institution_may_still_correct_its_code(login: Callable[[User], Client]) -> None:
    institution = InstitutionFactory(province="gd")
    ApplicationFactory(institution=institution)  # a draft
    new = credit_code("440106", 99)

    response = login(the_member(institution)).post("/gd/institution/", _institution_form(institution, credit_code=new))

    assert response.status_code == 302
    institution.refresh_from_db()
    assert institution.credit_code == new


def test_after_a_submission_the_code_is_read_only_for_the_institution(login: Callable[[User], Client]) -> None:
    application = ApplicationFactory(submitted=True)
    institution = application.institution
    before = institution.credit_code
    client = login(the_member(institution))

    page = client.get("/gd/institution/")
    assert page.context["form"].fields["credit_code"].disabled
    assert "联系省级经办人员" in page.content.decode()

    client.post("/gd/institution/", _institution_form(institution, credit_code=credit_code("440106", 99),
                                                     address="广州市越秀路2号"))
    institution.refresh_from_db()
    assert (institution.credit_code, institution.address) == (before, "广州市越秀路2号")

    api = client.put("/api/v1/gd/institution/", {
        **_institution_form(institution, credit_code=credit_code("440106", 99)), "city": institution.city.code},
        content_type="application/json")
    assert (api.status_code, api.json()["code"]) == (400, "uscc_locked")


def test_a_provincial_officer_corrects_the_code_with_a_reason_and_it_is_audited(
    login: Callable[[User], Client],
) -> None:
    application = ApplicationFactory(submitted=True)
    institution = application.institution
    before = institution.credit_code
    officer = provincial_officer("gd")
    new = credit_code("440106", 42)
    client = login(officer)

    assert "更正统一社会信用代码" in client.get(f"/gd/institutions/{institution.pk}/").content.decode()
    refused = client.post(f"/gd/institutions/{institution.pk}/credit-code/",
                          {"credit_code": BEIJING_CHAOYANG, "reason": "登记证书换发"})
    assert "属于北京市" in refused.context["credit_code_form"].errors["credit_code"][0]

    done = client.post(f"/gd/institutions/{institution.pk}/credit-code/", {"credit_code": new, "reason": "登记证书换发"})

    assert done.status_code == 302
    institution.refresh_from_db()
    assert institution.credit_code == new
    event = AuditEvent.objects.get(action="institution_credit_code_corrected")
    assert (event.actor, event.reason, event.changes) == (
        officer, "登记证书换发", {"credit_code": {"before": before, "after": new}})


def test_the_officer_correction_over_the_api_and_a_member_is_refused(login: Callable[[User], Client]) -> None:
    application = ApplicationFactory(submitted=True)
    institution = application.institution
    url = f"/api/v1/gd/institutions/{institution.pk}/credit-code/"
    new = credit_code("440106", 43)

    member = login(the_member(institution)).post(url, {"credit_code": new, "reason": "x"},
                                                 content_type="application/json")
    assert member.status_code in (403, 404)

    done = login(provincial_officer("gd")).post(url, {"credit_code": new, "reason": "换证"},
                                                content_type="application/json")
    assert (done.status_code, done.json()["credit_code"]) == (200, new)

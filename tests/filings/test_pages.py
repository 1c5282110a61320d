"""What the pages show after a return and a resubmission: the applicant's list of items, the officer's changes."""

import re
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from filings import services
from filings.models import Application
from portal.models import User
from tests.factories import TEA, ApplicationFactory, city_officer, occupation, pdf_bytes, the_member

pytestmark = pytest.mark.django_db


def _returned_and_resubmitted(officer: User) -> Application:
    """Submitted, returned with two items, then resubmitted with a changed declaration, a new occupation and an
    optional material added."""
    application = ApplicationFactory(ready=True)
    member = the_member(application)
    services.submit_application(application, acting_user=member)
    services.start_city_review(application, acting_user=officer)
    services.return_application(application, acting_user=officer, items=[
        services.CorrectionRequest("fact:online_evaluation", "知识技能型职业开展线上培训评价", "请如实声明。"),
        services.CorrectionRequest("doc:venue_lease", "场所租赁合同（协议）", "请补充上传。"),
    ])
    services.save_facts(application, acting_user=member, facts={"online_evaluation": True})
    services.add_occupation(application, acting_user=member, occupation=occupation(TEA), work_type=None, levels=[3])
    services.upload_evidence(application, acting_user=member, checklist_key="venue_lease",
                             upload=SimpleUploadedFile("租赁合同.pdf", pdf_bytes("租赁"), content_type="application/pdf"))
    return application


def test_the_applicant_sees_exactly_the_items_of_the_return(login: Callable[[User], Client]) -> None:
    officer = city_officer("gd", "4401")
    application = _returned_and_resubmitted(officer)

    html = login(the_member(application)).get(f"/gd/applications/{application.pk}/").content.decode()

    items = re.search(r'<ol class="correction-items">(.*?)</ol>', html, re.S)
    assert items is not None
    assert re.findall(r"<li>(.*?)</li>", items.group(1)) == [
        "<strong>知识技能型职业开展线上培训评价</strong>：请如实声明。",
        "<strong>场所租赁合同（协议）</strong>：请补充上传。",
    ]


def test_the_officer_sees_the_changes_of_the_resubmission_in_words(login: Callable[[User], Client]) -> None:
    officer = city_officer("gd", "4401")
    application = _returned_and_resubmitted(officer)
    services.submit_application(application, acting_user=the_member(application))
    lease = application.evidence.get(checklist_key="venue_lease")

    html = login(officer).get(f"/gd/review/{application.pk}/").content.decode()

    body = re.search(r'<table class="data" id="changes">.*?<tbody>(.*?)</tbody>', html, re.S)
    assert body is not None
    assert re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td><td>(.*?)</td></tr>', body.group(1)) == [
        ("知识技能型职业开展线上培训评价", "否", "是"),
        ("4-03-02-07", "—", "茶艺师 · 3"),
        ("场所租赁合同（协议）", "—", f"租赁合同.pdf ({lease.sha256[:12]})"),
    ]


def test_an_incomplete_occupation_form_says_which_field(login: Callable[[User], Client]) -> None:
    application = ApplicationFactory()

    response = login(the_member(application)).post(
        f"/gd/applications/{application.pk}/occupations/add/", {"occupation": occupation(TEA).pk}, follow=True)

    assert [str(m) for m in response.context["messages"]] == ["申报等级：该字段是必填项。"]
    assert application.occupations.count() == 0
    # the chosen occupation is still chosen, and the error stands beside the levels
    form = response.context["occupation_form"]
    assert form["occupation"].value() == str(occupation(TEA).pk)
    assert form.errors["levels"] == ["该字段是必填项。"]
    html = response.content.decode()
    assert re.search(rf'<option value="{occupation(TEA).pk}" selected>', html)
    # and once shown, the next visit starts afresh
    again = login(the_member(application)).get(f"/gd/applications/{application.pk}/")
    assert again.context["occupation_form"].is_bound is False


def test_the_facts_form_asks_only_what_applies_to_the_applicant(login: Callable[[User], Client]) -> None:
    # given a 民办非企业单位 and an enterprise, both of the "other" category of Guangdong, each with two occupations
    civil = ApplicationFactory(institution__nature="private_non_enterprise")
    enterprise = ApplicationFactory(institution__nature="enterprise")
    for application in (civil, enterprise):
        services.add_occupation(application, acting_user=the_member(application), occupation=occupation(TEA),
                                work_type=None, levels=[3])

    civil_form = login(the_member(civil)).get(f"/gd/applications/{civil.pk}/facts/")
    enterprise_form = login(the_member(enterprise)).get(f"/gd/applications/{enterprise.pk}/facts/")

    # then the business-registry question is asked of the enterprise only, the civil-affairs ones of the other only
    civil_keys, enterprise_keys = (set(r.context["form"].fields) for r in (civil_form, enterprise_form))
    assert "abnormal_operation_3y" not in civil_keys
    assert {"failed_annual_inspection_3y", "on_illegal_org_list"} <= civil_keys
    assert "abnormal_operation_3y" in enterprise_keys
    assert not {"failed_annual_inspection_3y", "on_illegal_org_list"} & enterprise_keys
    # and Guangdong asks nothing per occupation: no empty box per occupation
    assert civil_form.content.decode().count("<fieldset") == 1


def test_a_submitted_application_shows_what_was_declared(login: Callable[[User], Client]) -> None:
    application = ApplicationFactory(submitted=True, facts={"venue_area_m2": 350, "is_venue_leased": False})

    html = login(the_member(application)).get(f"/gd/applications/{application.pk}/").content.decode()

    assert "<dt>场所总建筑面积</dt><dd>350m²</dd>" in html
    assert "<dt>场所为租赁</dt><dd>否</dd>" in html
    assert "<dt>具有独立法人资质</dt><dd>未声明</dd>" in html
    assert "填写或修改申报信息" not in html

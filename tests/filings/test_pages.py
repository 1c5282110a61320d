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

"""Trainee and employer feedback: the three factors, one response per certificate editable for 30 days, bad input
refused with a Chinese message, and the rate limit of the lookup."""

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from certificates.models import Certificate
from portal.errors import DomainError
from portal.models import AuditEvent
from supervision import services
from supervision.errors import Codes
from supervision.models import EmployerFeedback, TraineeFeedback
from tests.factories import answers, credit_code

URL = "/feedback/trainee/"
EMPLOYER_URL = "/feedback/employer/"


def identity(client: Client, certificate: Certificate, *, name: str = "王小明", tail: str = "07123X"):
    return client.post(URL, {"number": certificate.number, "name": name, "id_tail": tail})


def ticket_from(response) -> str:
    html = response.content.decode()
    return html.split('name="ticket" value="', 1)[1].split('"', 1)[0]


def answer_form(**overrides):
    data = {"employment_status": "employed", "employer_name": "广州某制造有限公司", "employer_credit_code": "",
            "job_matches": "yes", "wage_band": "3", "training_satisfaction": "4", "evaluation_satisfaction": "5",
            "comment": "实操考核很规范"}
    data.update(overrides)
    return data


def test_the_verify_card_links_to_the_feedback_form(certificate):
    response = Client().post("/verify/", {"mode": "number", "number-number": certificate.number,
                                          "number-name": "王小明"})
    assert f'href="/feedback/trainee/?number={certificate.number}"' in response.content.decode()


def test_a_holder_gives_feedback_after_the_three_factors(certificate):
    client = Client()
    step_one = identity(client, certificate)
    assert step_one.status_code == 200 and "第二步：填写反馈" in step_one.content.decode()
    done = client.post(URL, {"ticket": ticket_from(step_one), **answer_form()})
    assert done.status_code == 200 and "感谢您的反馈" in done.content.decode()
    feedback = TraineeFeedback.objects.get(certificate=certificate)
    assert (feedback.employment_status, feedback.job_matches, feedback.wage_band, feedback.training_satisfaction,
            feedback.evaluation_satisfaction, feedback.institution_id, feedback.occupation_id, feedback.certified_on) \
        == ("employed", True, 3, 4, 5, certificate.institution_id, certificate.occupation_id, certificate.issued_on)
    assert feedback.editable_until - feedback.submitted_at == dt.timedelta(days=30)
    assert AuditEvent.objects.filter(action="trainee_feedback_submitted", object_id=str(feedback.pk)).count() == 1


@pytest.mark.parametrize(("name", "tail"), [("王小明", "07123Y"), ("王大明", "07123X"), ("王小明", "12345")])
def test_a_wrong_factor_is_refused_without_saying_which(certificate, name, tail):
    response = identity(Client(), certificate, name=name, tail=tail)
    assert response.status_code == 400
    assert "第二步" not in response.content.decode()
    if len(tail) == 6:
        assert "证书编号、姓名与证件号码后6位不匹配，请核对后重试。" in response.content.decode()


def test_one_response_per_certificate_editable_for_30_days(certificate):
    first = services.submit_trainee_feedback(certificate, answers(wage_band=2))
    edited = services.submit_trainee_feedback(certificate, answers(wage_band=4))
    assert edited.pk == first.pk and TraineeFeedback.objects.count() == 1 and edited.wage_band == 4
    assert AuditEvent.objects.get(action="trainee_feedback_edited").changes == {"wage_band": {"before": 2, "after": 4}}
    TraineeFeedback.objects.filter(pk=first.pk).update(editable_until=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(DomainError) as refused:
        services.submit_trainee_feedback(certificate, answers(wage_band=5))
    assert refused.value.code == Codes.FEEDBACK_CLOSED and str(refused.value) == "反馈提交已超过30天，不能再修改。"


def test_an_invalid_employer_credit_code_is_shown_beside_its_field(certificate):
    client = Client()
    ticket = ticket_from(identity(client, certificate))
    response = client.post(URL, {"ticket": ticket, **answer_form(employer_credit_code="91440101MA5CXXXX0X")})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_employer_credit_code_error"' in html and "统一社会信用代码" in html
    assert TraineeFeedback.objects.count() == 0


def test_a_forged_ticket_sends_the_visitor_back_to_step_one(certificate):
    response = Client().post(URL, {"ticket": "forged", **answer_form()})
    assert response.status_code == 400 and "页面已过期，请重新输入证书信息。" in response.content.decode()


def test_a_revoked_certificate_takes_no_feedback(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(status="revoked")
    with pytest.raises(DomainError) as refused:
        services.find_certificate_for_trainee(certificate.number, "王小明", "07123x", ip="10.0.0.1")
    assert refused.value.code == Codes.CERTIFICATE_NOT_VALID


@override_settings(CERTIFICATE_LOOKUP_RATE=(2, 600))
def test_feedback_lookups_are_rate_limited_like_the_lookup(certificate):
    client = Client()
    assert identity(client, certificate).status_code == 200
    assert identity(client, certificate, tail="000000").status_code == 400
    refused = identity(client, certificate)
    assert refused.status_code == 429
    assert "提交过于频繁：同一来源每10分钟最多2次，请稍后再试。" in refused.content.decode()


def test_a_public_employer_rates_a_holder_once_and_can_revise(certificate):
    code = credit_code("440101", 7)
    data = {"employer_name": "广州某制造有限公司", "employer_credit_code": code, "contact_name": "李经理",
            "contact_phone": "020-12345678", "number": certificate.number, "name": "王小明", "skill_match": "4",
            "would_hire_again": "yes"}
    assert Client().post(EMPLOYER_URL, data).status_code == 200
    assert Client().post(EMPLOYER_URL, {**data, "skill_match": "5"}).status_code == 200
    rating = EmployerFeedback.objects.get()
    assert (rating.skill_match, rating.would_hire_again, rating.employer_credit_code, rating.employer_id) == (
        5, True, code, None)
    assert list(AuditEvent.objects.filter(object_type="supervision.employerfeedback").values_list(
        "action", flat=True).order_by("id")) == ["employer_feedback_submitted", "employer_feedback_edited"]


def test_a_public_employer_with_a_bad_credit_code_is_told_why(certificate):
    data = {"employer_name": "某公司", "employer_credit_code": "123", "contact_name": "李经理",
            "contact_phone": "020-12345678", "number": certificate.number, "name": "王小明", "skill_match": "4",
            "would_hire_again": "no"}
    response = Client().post(EMPLOYER_URL, data)
    assert response.status_code == 400
    assert "统一社会信用代码应为18位，当前为3位。" in response.content.decode()
    assert EmployerFeedback.objects.count() == 0


def test_an_employer_with_the_wrong_name_finds_nothing(certificate):
    with pytest.raises(DomainError) as refused:
        services.find_certificate_for_employer(certificate.number, "李四", ip="10.0.0.2")
    assert refused.value.code == Codes.CERTIFICATE_NOT_MATCHED

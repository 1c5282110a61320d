"""Guangdong additions of occupations by an organization that is not a chain-leader unit go through selection as a
new application (001 二(二), 四(一)4) and join the existing filing; the chain-leader path, Shandong and Guizhou keep
their own routes."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from filings import services
from filings.models import (
    AdditionState,
    Application,
    ApplicationState,
    Cultivation,
    Filing,
    OccupationAddition,
)
from portal.errors import DomainError, InvalidTransition
from portal.models import AuditEvent, City, Occupation
from tests import factories as f
from tests.factories import OccupationFactory
from tests.factories.filings import COMPLIANT_OCCUPATION_FACTS, make_ready

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
LATER = START + dt.timedelta(days=200)


def _apply(filing: Filing, occupation: Occupation, *, chain_leader: bool = False) -> OccupationAddition:
    return services.apply_to_add_occupations(
        filing, acting_user=f.the_member(filing.institution), lines=[services.ScopeLine(occupation, None, [4, 3])],
        has_completed_question_bank=True, operating_normally=True, is_chain_leader=chain_leader,
    )


def _submitted(addition: OccupationAddition) -> Application:
    """The organization completes the prefilled draft (facts, materials, pledge) and submits it."""
    application = addition.application
    assert application is not None
    application.occupations.update(facts=dict(COMPLIANT_OCCUPATION_FACTS["gd"]))
    make_ready(application, occupations=())
    return services.submit_application(application, acting_user=f.the_member(application.institution))


def _through_selection(application: Application) -> Application:
    """City review, recommendation, the province's review, selection, approval and publicity, as selection drives them."""
    city, province = f.city_officer_of(application.institution), f.provincial_officer()
    services.start_city_review(application, acting_user=city)
    services.pass_city_review(application, acting_user=city)
    services.recommend_application(application, acting_user=city, reason="评估得分靠前")
    services.start_province_review(application, acting_user=province)
    services.select_application(application, acting_user=province)
    services.approve_application(application, acting_user=province)
    services.publish_application(application, acting_user=province)
    return services.end_application_publicity(application, acting_user=province)


@time_machine.travel(START, tick=False)
def test_a_guangdong_addition_becomes_an_application_in_the_open_call_seen_by_its_citys_officer_only(
    client,  # type: ignore[no-untyped-def]
) -> None:
    _, filing = f.filed_cultivation("gd", occupations=1)
    new = OccupationFactory()
    with time_machine.travel(LATER, tick=False):
        call = f.CallFactory(province="gd")
        addition = _apply(filing, new)

        application = addition.application
        assert application is not None
        assert (application.call, application.state, application.city, application.institution) == (
            call, ApplicationState.DRAFT, filing.city, filing.institution)
        assert list(application.occupations.values_list("occupation", "levels")) == [(new.pk, [4, 3])]
        assert addition.state == AdditionState.SUBMITTED
        assert not Cultivation.objects.filter(addition=addition).exists()
        with pytest.raises(InvalidTransition) as decided:
            services.decide_occupation_addition(addition, acting_user=f.provincial_officer(), approve=True)
        assert decided.value.code == "addition_in_selection"

        _submitted(addition)
        url = reverse("filings:review_detail", kwargs={"province": "gd", "pk": application.pk})
        client.force_login(f.city_officer_of(filing.institution))
        page = client.get(url)
        assert page.status_code == 200 and filing.institution.name in page.content.decode()
        assert f"已备案机构申请新增职业（备案编号 {filing.filing_number}）" in page.content.decode()
        other_city = City.objects.filter(province=filing.province).exclude(pk=filing.city_id).first()
        assert other_city is not None
        client.force_login(f.city_officer("gd", other_city.code))
        assert client.get(url).status_code == 404

    assert list(AuditEvent.objects.filter(object_type="filings.occupationaddition", object_id=str(addition.pk))
                .order_by("pk").values_list("action", flat=True)) == [
        "occupation_addition_submitted", "occupation_addition_application_created"]


@time_machine.travel(START, tick=False)
def test_after_selection_cultivation_and_filing_the_existing_filing_gains_the_occupations_with_its_expiry() -> None:
    _, filing = f.filed_cultivation("gd", occupations=1)
    original_until, new = filing.valid_until, OccupationFactory()
    with time_machine.travel(LATER, tick=False):
        f.CallFactory(province="gd")
        addition = _apply(filing, new)
        application = _through_selection(_submitted(addition))
        cultivation = services.advance_after_publicity(application, acting_user=f.provincial_officer())
        assert isinstance(cultivation, Cultivation)
        addition.refresh_from_db()
        assert addition.state == AdditionState.CULTIVATING
        assert (cultivation.application, cultivation.addition, cultivation.filing) == (None, addition, filing)
        services.sign_commitment(cultivation, acting_user=f.the_member(filing.institution), signer_name="张明",
                                 signer_title="法定代表人")
        f.accept_occupation(cultivation.occupations.get())
        filed = services.file_cultivation(cultivation, acting_user=f.provincial_officer())

    assert filed == filing
    assert Filing.objects.filter(institution=filing.institution).count() == 1
    added = filing.occupations.get(occupation=new)
    assert added.valid_until == original_until and added.letter.is_addition
    filing.refresh_from_db()
    assert filing.valid_until == original_until
    addition.refresh_from_db()
    application.refresh_from_db()
    assert (addition.state, application.state) == (AdditionState.ADDED, ApplicationState.FILED)


@time_machine.travel(START, tick=False)
def test_an_addition_not_recommended_at_city_review_is_refused_with_the_reason() -> None:
    _, filing = f.filed_cultivation("gd", occupations=1)
    with time_machine.travel(LATER, tick=False):
        f.CallFactory(province="gd")
        addition = _apply(filing, OccupationFactory())
        application = _submitted(addition)
        city = f.city_officer_of(filing.institution)
        services.start_city_review(application, acting_user=city)
        services.not_recommend_application(application, acting_user=city, reason="不符合基本条件")

    addition.refresh_from_db()
    assert (addition.state, addition.decision_reason) == (AdditionState.REFUSED, "不符合基本条件")
    assert AuditEvent.objects.filter(object_id=str(addition.pk), action="occupation_addition_refused").count() == 1


@time_machine.travel(START, tick=False)
def test_without_an_open_call_a_guangdong_addition_is_refused_with_a_code() -> None:
    _, filing = f.filed_cultivation("gd", occupations=1)
    with time_machine.travel(LATER, tick=False):
        f.CallFactory(province="gd", closed=True)
        with pytest.raises(DomainError) as refused:
            _apply(filing, OccupationFactory())

    assert refused.value.code == "no_open_call"
    assert "没有开放申报的批次" in str(refused.value)
    assert not filing.additions.exists()
    assert not Application.objects.filter(institution=filing.institution).exclude(pk=filing.application_id).exists()


@time_machine.travel(START, tick=False)
def test_a_chain_leader_units_addition_still_goes_straight_to_cultivation_without_an_application() -> None:
    _, filing = f.filed_cultivation("gd", occupations=1)
    with time_machine.travel(LATER, tick=False):
        addition = _apply(filing, OccupationFactory(), chain_leader=True)

    assert addition.state == AdditionState.CULTIVATING and addition.application is None
    assert Cultivation.objects.get(addition=addition).filing == filing


@pytest.mark.parametrize("province", ["sd", "gz"])
def test_shandong_and_guizhou_additions_are_still_decided_by_the_province_without_an_application(province: str) -> None:
    filing = f.FilingFactory(province=province, with_scope=True)
    f.CallFactory(province=province)
    addition = _apply(filing, OccupationFactory())
    assert addition.application is None and addition.state == AdditionState.SUBMITTED

    services.decide_occupation_addition(addition, acting_user=f.provincial_officer(province), approve=True)

    addition.refresh_from_db()
    assert addition.state == AdditionState.ADDED and filing.occupations.count() == 2

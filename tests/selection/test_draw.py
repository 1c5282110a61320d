"""Drawing experts at random: reproducible from the recorded seed and candidate list, filtered by field, and never
an expert of the applicant's own employer or one who declared a conflict."""

import random

import pytest

from portal.errors import DomainError
from portal.models import AuditEvent
from selection import services
from selection.models import ConflictDeclaration, ConflictKind, Draw, ScoreSheet
from tests.factories import ApplicationFactory, ExpertFactory, MembershipFactory, PanelFactory, expert_with_account

pytestmark = pytest.mark.django_db


def _panel_and_application():  # type: ignore[no-untyped-def]
    panel = PanelFactory()
    return panel, ApplicationFactory(city_scoring=True, call=panel.call), panel.call.created_by


def test_a_draw_is_reproducible_from_its_seed_and_candidates() -> None:
    # given eight experts in the field and a fixed seed
    panel, application, officer = _panel_and_application()
    experts = [ExpertFactory(fields=["6-18"]) for _ in range(8)]

    draw = services.draw_experts(panel, application, acting_user=officer, count=3, seed=20260601)

    # then the record holds the seed, the candidates in id order and the result random.Random(seed) gives
    assert draw.seed == 20260601
    assert draw.candidates == [e.pk for e in experts]
    assert draw.result == random.Random(20260601).sample([e.pk for e in experts], 3)
    assert services.replay_draw(Draw.objects.get(pk=draw.pk)) == draw.result
    assert sorted(ScoreSheet.objects.filter(draw=draw).values_list("expert_id", flat=True)) == sorted(draw.result)
    event = AuditEvent.objects.get(action="experts_drawn", object_id=str(draw.pk))
    assert event.changes["seed"]["after"] == 20260601
    assert event.changes["result"]["after"] == draw.result


def test_the_same_seed_on_the_same_candidates_draws_the_same_experts() -> None:
    panel = PanelFactory()
    first, second = ApplicationFactory(city_scoring=True, call=panel.call), ApplicationFactory(city_scoring=True, call=panel.call)
    for _ in range(6):
        ExpertFactory(fields=["6"])

    one = services.draw_experts(panel, first, acting_user=panel.call.created_by, count=2, seed=7)
    two = services.draw_experts(panel, second, acting_user=panel.call.created_by, count=2, seed=7)

    assert one.candidates == two.candidates
    assert one.result == two.result


def test_an_expert_with_a_conflict_is_never_drawn() -> None:
    # given three experts: one of the applicant's own employer, one who declared a conflict, one free
    panel, application, officer = _panel_and_application()
    same_employer = ExpertFactory(employer_credit_code=application.institution.credit_code)
    declared = expert_with_account()
    ConflictDeclaration.objects.create(expert=declared, application=application, kind=ConflictKind.RELATION,
                                       reason="曾任该机构顾问")
    free = ExpertFactory()

    # when drawing one expert with many different seeds
    results = set()
    for seed in range(40):
        ScoreSheet.objects.filter(application=application).delete()
        Draw.objects.filter(application=application).delete()
        draw = services.draw_experts(panel, application, acting_user=officer, count=1, seed=seed)
        results.update(draw.result)

    # then only the free expert is ever drawn, and the others are recorded as excluded with the reason
    assert results == {free.pk}
    assert draw.excluded == {str(same_employer.pk): "same_employer", str(declared.pk): "declared_conflict"}


def test_a_draw_replaces_an_expert_who_declares_a_conflict() -> None:
    # given two drawn experts, one of whom declares a conflict after being assigned
    panel, application, officer = _panel_and_application()
    experts = [expert_with_account(fields=["6"]) for _ in range(3)]
    draw = services.draw_experts(panel, application, acting_user=officer, count=2, seed=3)
    quitter = next(e for e in experts if e.pk == draw.result[0])
    services.declare_conflict(application, acting_user=quitter.user, kind=ConflictKind.OTHER, reason="近亲属在该机构任职")

    # when the officer draws one more
    replacement = services.draw_experts(panel, application, acting_user=officer, count=1, seed=99)

    # then the one left in the pool is drawn, and the quitter's sheet is recused
    remaining = {e.pk for e in experts} - set(draw.result)
    assert replacement.result == sorted(remaining)
    assert ScoreSheet.objects.get(expert=quitter, application=application).state == "recused"
    assert replacement.excluded[str(quitter.pk)] == "already_assigned"


def test_the_field_filter_keeps_experts_whose_fields_cover_the_occupation() -> None:
    panel, application, officer = _panel_and_application()  # 车工 6-18-01-01
    in_field = [ExpertFactory(fields=["6-18"]), ExpertFactory(fields=["6"]), ExpertFactory(fields=[])]
    ExpertFactory(fields=["4-04"])
    ExpertFactory(fields=["6-18-02"])

    draw = services.draw_experts(panel, application, acting_user=officer, count=1, seed=1)
    unfiltered = services.draw_experts(panel, application, acting_user=officer, count=1, seed=1, match_fields=False)

    assert draw.candidates == [e.pk for e in in_field]
    assert len(unfiltered.candidates) == 4  # five in the pool, one already drawn


def test_not_enough_candidates_is_refused_and_says_how_many() -> None:
    panel, application, officer = _panel_and_application()
    ExpertFactory()

    with pytest.raises(DomainError) as refused:
        services.draw_experts(panel, application, acting_user=officer, count=3, seed=1)

    assert refused.value.code == "draw_not_enough_candidates"
    assert str(refused.value) == "符合条件的候选专家只有1名，不足3名。可取消“按专业领域筛选”或扩充专家库。"
    assert not Draw.objects.exists()


def test_assigning_by_hand_refuses_a_conflicted_expert() -> None:
    panel, application, officer = _panel_and_application()
    same_employer = ExpertFactory(name="王专家", employer_credit_code=application.institution.credit_code)

    with pytest.raises(DomainError) as refused:
        services.assign_expert(panel, application, same_employer, acting_user=officer)

    assert refused.value.code == "expert_conflict"
    assert str(refused.value) == f"王专家与{application.institution.name}存在利益冲突（与申请机构为同一单位），不能分配。"


def test_a_city_officer_draws_only_for_their_own_citys_panel() -> None:
    panel, application, _ = _panel_and_application()
    ExpertFactory()
    shenzhen_officer = MembershipFactory(province="gd", role="city_officer",
                                         city=panel.province.cities.get(code="4403")).user

    with pytest.raises(DomainError) as refused:
        services.draw_experts(panel, application, acting_user=shenzhen_officer, count=1, seed=1)

    assert refused.value.code == "not_permitted"

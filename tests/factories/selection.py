"""Factories for selection: the expert pool, panels and score sheets, with traits for the usual shapes.

Applications come from ApplicationFactory(city_scoring=True, occupations=["6-18-01-01"]) (tests.factories.filings),
as the city review left them; the state is set at creation, as fixtures do, never by assignment (the FSM field is
protected).
"""

from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from filings.models import Application, Call
from portal.models import Role
from selection import services
from selection.models import Criterion, Expert, Panel, PanelLevel, Score, ScoreSheet, SelectionRound, SheetState
from tests.factories.filings import CallFactory
from tests.factories.portal import MembershipFactory, UserFactory, credit_code, province_of


class ExpertFactory(factory.django.DjangoModelFactory):
    """A pool entry. with_account=True also makes a user with the expert role and links it."""

    class Meta:
        model = Expert
        skip_postgeneration_save = True

    province = factory.Transformer("gd", transform=province_of)
    name = factory.Sequence(lambda n: f"专家{n}")
    employer = factory.Sequence(lambda n: f"测试专家单位{n}")
    employer_credit_code = factory.Sequence(lambda n: credit_code("440100", 800000 + n))
    fields = factory.LazyFunction(lambda: ["6"])
    contact = "13800000000"
    user = None

    class Params:
        with_account = factory.Trait(
            user=factory.LazyAttribute(
                lambda o: MembershipFactory(province=o.province, role=Role.EXPERT, user=UserFactory()).user
            )
        )


def expert_with_account(province: Any = "gd", **kwargs: Any) -> Expert:
    return ExpertFactory(province=province, with_account=True, **kwargs)


def selection_round(call: Call, *, drop_extremes: bool = True) -> SelectionRound:
    """The call's round with the pack's rubric copied (as the services do when a panel is formed)."""
    round_ = services.ensure_round(call, acting_user=call.created_by)
    if round_.drop_extremes != drop_extremes:
        SelectionRound.objects.filter(pk=round_.pk).update(drop_extremes=drop_extremes)
        round_.refresh_from_db()
    return round_


class PanelFactory(factory.django.DjangoModelFactory):
    """A city panel of the call's capital (or province=True for the provincial one), rubric copied."""

    class Meta:
        model = Panel
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory, closed=True)
    province = factory.LazyAttribute(lambda o: o.call.province)
    level = PanelLevel.CITY
    city = factory.LazyAttribute(lambda o: o.call.province.cities.order_by("code").first())
    created_by = factory.LazyAttribute(lambda o: o.call.created_by)

    class Params:
        provincial = factory.Trait(level=PanelLevel.PROVINCE, city=None)

    @factory.post_generation
    def rubric(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            selection_round(self.call)


def sheet_with_total(panel: Panel, application: Application, total: Decimal | int | str, *,
                     expert: Expert | None = None, submitted: bool = True) -> ScoreSheet:
    """A sheet whose scores add up to `total` (filled criterion by criterion from the first), submitted by default."""
    expert = expert or ExpertFactory(province=panel.province)
    sheet = ScoreSheet.objects.create(panel=panel, application=application, expert=expert,
                                      assigned_by=panel.created_by)
    remaining = Decimal(str(total))
    for criterion in Criterion.objects.filter(round__call=panel.call, category=application.category).order_by("position"):
        score = min(remaining, criterion.max_score)
        remaining -= score
        Score.objects.create(sheet=sheet, criterion=criterion, score=score)
    if submitted:
        ScoreSheet.objects.filter(pk=sheet.pk).update(state=SheetState.SUBMITTED, total=Decimal(str(total)),
                                                      submitted_at=timezone.now())
        sheet.refresh_from_db()
    return sheet

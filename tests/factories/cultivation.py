"""Factories and helpers for cultivations, filings and additions: cultivations driven through the services from an
application whose publicity ended, filings with their documents, and model-level shapes for tenancy checks.

    FilingFactory(province="sd")                    an active, published filing filed with the province (no scope)
    FilingFactory(with_scope=True)                  ... with one new occupation in its scope and its letter (a PDF)
    FilingFactory(city_route=True)                  ... filed through its city (an application with route "city")
    cultivation("gd")                               a cultivation started (and signed) through the services
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from filings import selectors, services
from filings.models import (
    AdditionOccupation,
    ApplicationState,
    Cultivation,
    CultivationOccupation,
    CultivationTask,
    Filing,
    FilingLetter,
    FilingOccupation,
    LetterKind,
    OccupationAddition,
    QuestionBankFile,
    QuestionBankRound,
    Route,
    TaskKind,
)
from portal.models import Occupation, Province, User
from tests.factories.filings import ApplicationFactory
from tests.factories.portal import InstitutionFactory, OccupationFactory, province_of, provincial_officer, the_member

PDF = b"%PDF-1.4\n% a question bank\n"


def pdf_upload(name: str = "试题.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def cultivation(
    province: Province | str = "gd", *, occupations: int | Sequence[Occupation] = 2, signed: bool = True, **app: Any
) -> Cultivation:
    """A cultivation that started today (through the service), its commitment signed unless signed=False."""
    application = ApplicationFactory(province=province, publicity_ended=True, occupations=occupations, **app)
    result = services.start_cultivation(application, acting_user=None)
    if signed:
        services.sign_commitment(result, acting_user=the_member(result.institution), signer_name="张明",
                                 signer_title="法定代表人")
        result.refresh_from_db()
    return result


def task(item: CultivationOccupation, kind: str) -> CultivationTask:
    return item.tasks.get(kind=kind)


def accept_occupation(item: CultivationOccupation, officer: User | None = None) -> CultivationOccupation:
    """Drive both tasks of an occupation to accepted: question bank submitted and accepted, training recorded."""
    cult = item.cultivation
    officer = officer or provincial_officer(cult.province)
    bank = task(item, TaskKind.QUESTION_BANK)
    services.submit_question_bank(bank, acting_user=the_member(cult.institution), items=pdf_upload())
    bank.refresh_from_db()
    services.review_question_bank(bank, acting_user=officer, accept=True)
    services.record_training_attendance(task(item, TaskKind.EXAM_TRAINING), acting_user=officer,
                                        attended_on=timezone.localdate())
    item.refresh_from_db()
    return item


def filed_cultivation(province: Province | str = "gd", *, occupations: int = 1) -> tuple[Cultivation, Filing]:
    cult = cultivation(province, occupations=occupations)
    officer = provincial_officer(cult.province)
    for item in cult.occupations.all():
        accept_occupation(item, officer)
    filing = services.file_cultivation(cult, acting_user=officer)
    cult.refresh_from_db()
    return cult, filing


def filing(province: Province | str = "gd", *, occupations: int = 1, with_pdf: bool = True) -> Filing:
    """A filing made the quickest way for its province (Guangdong through a cultivation, others at publicity end)."""
    p = province_of(province)
    if selectors.pack_for(p).settings.has_cultivation:
        _, result = filed_cultivation(p, occupations=occupations)
    else:
        result = services.file_application(ApplicationFactory(province=p, publicity_ended=True, occupations=occupations))
    if with_pdf:
        for letter in result.letters.all():
            give_pdf(letter)
    return result


def give_pdf(letter: FilingLetter) -> FilingLetter:
    """Store a stand-in PDF (rendering with WeasyPrint is tested on its own)."""
    if not letter.pdf:
        letter.pdf.save(f"letter-{letter.pk}.pdf", ContentFile(b"%PDF-1.4\n% test letter\n"))
    return letter


def question_bank_file(province: Province | str = "gd") -> QuestionBankFile:
    cult = cultivation(province, occupations=1)
    bank = task(cult.occupations.get(), TaskKind.QUESTION_BANK)
    round_ = services.submit_question_bank(bank, acting_user=the_member(cult.institution), items=pdf_upload())
    return round_.files.get()


class CultivationFactory(factory.django.DjangoModelFactory):
    """A cultivation of an application, with one occupation and its two tasks. signed=True signs it (with a PDF)."""

    class Meta:
        model = Cultivation
        skip_postgeneration_save = True

    province = factory.Transformer("gd", transform=province_of)
    application = factory.SubFactory(
        ApplicationFactory, province=factory.SelfAttribute("..province"), publicity_ended=True,
        state=ApplicationState.CULTIVATING,
    )
    institution = factory.LazyAttribute(lambda o: o.application.institution)
    city = factory.LazyAttribute(lambda o: o.institution.city)
    started_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.LazyAttribute(lambda o: o.started_on + dt.timedelta(days=179))

    class Params:
        signed = factory.Trait(
            commitment_text="培育机构工作承诺书（测试）",
            commitment_signer_name="张明",
            commitment_signer_title="法定代表人",
            commitment_signed_at=factory.LazyFunction(timezone.now),
            commitment_pdf=factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4\n% commitment\n", name="c.pdf")),
        )

    @factory.post_generation
    def with_tasks(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        for source in (self.application.occupations.all() if self.application else []):
            item = CultivationOccupation.objects.create(
                cultivation=self, occupation=source.occupation, work_type=source.work_type, levels=source.levels
            )
            CultivationTask.objects.bulk_create(CultivationTask(occupation=item, kind=k) for k in TaskKind.values)


def a_task(province: Province | str, kind: str = TaskKind.QUESTION_BANK, **cultivation_kwargs: Any) -> CultivationTask:
    cult = CultivationFactory(province=province, signed=True, **cultivation_kwargs)
    return CultivationTask.objects.get(occupation__cultivation=cult, kind=kind)


def a_question_bank_file(province: Province | str) -> QuestionBankFile:
    bank = a_task(province)
    round_ = QuestionBankRound.objects.create(task=bank, number=1, submitted_by=the_member(bank.occupation.cultivation.institution))
    stored = QuestionBankFile(round=round_, kind="items", original_name="试题.pdf", content_type="application/pdf",
                              size=len(PDF), sha256="0" * 64)
    stored.file.save("q.bin", ContentFile(PDF), save=False)
    stored.save()
    return stored


def _scope(default: int) -> Any:
    """The `scope` post-generation of a filing: `scope=[occupations]` puts them in its scope with their letter (a
    stand-in PDF); `default` new occupations when not given."""

    def add(filing: Filing, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        occupations = extracted if extracted is not None else [OccupationFactory() for _ in range(default)]
        if not occupations:
            return
        letter = FilingLetter.objects.create(
            province=filing.province, filing=filing, kind=LetterKind.LETTER, number=filing.filing_number,
            issued_on=filing.filed_on, issuing_body="测试单位",
            scope=[{"code": o.code, "occupation": o.name, "work_type": "", "levels": [5, 4, 3],
                    "level_labels": "五级/初级工、四级/中级工、三级/高级工"} for o in occupations],
        )
        give_pdf(letter)
        for occupation in occupations:
            FilingOccupation.objects.create(filing=filing, occupation=occupation, levels=[5, 4, 3],
                                            added_on=filing.filed_on, valid_until=filing.valid_until, letter=letter)

    return factory.PostGeneration(add)


class FilingFactory(factory.django.DjangoModelFactory):
    """An active, published filing of an institution of the province's capital, filed first with the province; no
    occupation in its scope unless `scope=[...]` or `with_scope=True` (one new occupation and its letter)."""

    class Meta:
        model = Filing
        skip_postgeneration_save = True

    province = factory.Transformer("gd", transform=province_of)
    institution = factory.SubFactory(InstitutionFactory, province=factory.SelfAttribute("..province"))
    city = factory.LazyAttribute(lambda o: o.institution.city)
    application = None
    filing_number = factory.Sequence(lambda n: f"测技评备〔2026〕{n + 1}号")
    filed_on = factory.LazyFunction(timezone.localdate)
    valid_from = factory.LazyAttribute(lambda o: o.filed_on)
    valid_until = factory.LazyAttribute(lambda o: services.filing_validity(o.filed_on, 3))
    organization_sequence = factory.Sequence(lambda n: f"{900000 + n:06d}")
    published_at = factory.LazyFunction(timezone.now)
    reported_at = factory.LazyFunction(timezone.now)
    scope = _scope(0)

    class Params:
        with_scope = factory.Trait(scope=_scope(1))
        city_route = factory.Trait(
            application=factory.SubFactory(
                ApplicationFactory, province=factory.SelfAttribute("..province"),
                institution=factory.SelfAttribute("..institution"), submitted=True, route=Route.CITY,
            )
        )


def an_addition(province: Province | str) -> OccupationAddition:
    filing_ = FilingFactory(province=province, with_scope=True)
    addition = OccupationAddition.objects.create(
        province=filing_.province, filing=filing_, has_completed_question_bank=True, operating_normally=True,
        submitted_by=the_member(filing_.institution),
    )
    AdditionOccupation.objects.create(addition=addition, occupation=OccupationFactory(), levels=[5, 4])
    return addition

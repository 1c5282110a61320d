"""Factories and helpers of the cultivation and filing tests: applications at the end of publicity, cultivations
driven through the services, filings with their documents.

Earlier stages (submission, city review, selection, publicity) are not the point here: an application is created
in the state where this part of the process begins (publicity ended), and everything after goes through services.
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
    Application,
    ApplicationOccupation,
    ApplicationState,
    Call,
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
    TaskKind,
)
from portal.models import Institution, Membership, Occupation, Province, Role, User
from tests.factories import InstitutionFactory, MembershipFactory, OccupationFactory, UserFactory, province_of

PDF = b"%PDF-1.4\n% a question bank\n"


def pdf_upload(name: str = "试题.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    province = factory.Transformer("gd", transform=province_of)
    year = 2026
    title = factory.Sequence(lambda n: f"测试遴选批次{n}")
    application_deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    city_review_deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=44))
    created_by = factory.SubFactory(UserFactory)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application whose publicity has ended (where cultivation or filing begins). occupations=N adds N."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    province = factory.Transformer("gd", transform=province_of)
    call = factory.SubFactory(CallFactory, province=factory.SelfAttribute("..province"))
    institution = factory.SubFactory(InstitutionFactory, province=factory.SelfAttribute("..province"))
    city = factory.LazyAttribute(lambda o: o.institution.city)
    category = factory.LazyAttribute(lambda o: o.institution.category)
    state = ApplicationState.PUBLICITY_ENDED
    route = "city"
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def occupations(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        items = extracted if extracted is not None else 1
        if isinstance(items, int):
            items = [OccupationFactory() for _ in range(items)]
        for occupation in items:
            levels = [5, 4, 3]
            if isinstance(occupation, tuple):
                occupation, levels = occupation
            ApplicationOccupation.objects.create(application=self, occupation=occupation, levels=levels)


def member_of(institution: Institution) -> User:
    return MembershipFactory(province=institution.province, role=Role.INSTITUTION_MEMBER, institution=institution).user


def provincial_officer(province: Province | str = "gd") -> User:
    return MembershipFactory(province=province, provincial_officer=True).user


def city_officer_of(institution: Institution) -> User:
    return MembershipFactory(province=institution.province, role=Role.CITY_OFFICER, city=institution.city).user


def member(institution: Institution) -> User:
    """A member of the institution (the existing one, or a new one)."""
    found = Membership.objects.filter(institution=institution, role=Role.INSTITUTION_MEMBER).select_related("user").first()
    return found.user if found else member_of(institution)


def cultivation(
    province: Province | str = "gd", *, occupations: int | Sequence[Occupation] = 2, signed: bool = True, **app: Any
) -> Cultivation:
    """A cultivation that started today (through the service), its commitment signed unless signed=False."""
    application = ApplicationFactory(province=province, occupations=occupations, **app)
    result = services.start_cultivation(application, acting_user=None)
    if signed:
        services.sign_commitment(result, acting_user=member(result.institution), signer_name="张明",
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
    services.submit_question_bank(bank, acting_user=member(cult.institution), items=pdf_upload())
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
        result = services.file_application(ApplicationFactory(province=p, occupations=occupations))
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
    round_ = services.submit_question_bank(bank, acting_user=member(cult.institution), items=pdf_upload())
    return round_.files.get()


# --- model-level factories: objects in a given state without the process (tenancy checks, bulk shapes) ---

class CultivationFactory(factory.django.DjangoModelFactory):
    """A cultivation of an application, with one occupation and its two tasks. signed=True signs it (with a PDF)."""

    class Meta:
        model = Cultivation
        skip_postgeneration_save = True

    province = factory.Transformer("gd", transform=province_of)
    application = factory.SubFactory(
        ApplicationFactory, province=factory.SelfAttribute("..province"), state=ApplicationState.CULTIVATING
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
    round_ = QuestionBankRound.objects.create(task=bank, number=1, submitted_by=member(bank.occupation.cultivation.institution))
    stored = QuestionBankFile(round=round_, kind="items", original_name="试题.pdf", content_type="application/pdf",
                              size=len(PDF), sha256="0" * 64)
    stored.file.save("q.bin", ContentFile(PDF), save=False)
    stored.save()
    return stored


class FilingFactory(factory.django.DjangoModelFactory):
    """An active, published filing with one occupation and its letter (with a stand-in PDF)."""

    class Meta:
        model = Filing
        skip_postgeneration_save = True

    province = factory.Transformer("gd", transform=province_of)
    institution = factory.SubFactory(InstitutionFactory, province=factory.SelfAttribute("..province"))
    city = factory.LazyAttribute(lambda o: o.institution.city)
    filing_number = factory.Sequence(lambda n: f"测技评备〔2026〕{n + 1}号")
    filed_on = factory.LazyFunction(timezone.localdate)
    valid_from = factory.LazyAttribute(lambda o: o.filed_on)
    valid_until = factory.LazyAttribute(lambda o: services.filing_validity(o.filed_on, 3))
    organization_sequence = factory.Sequence(lambda n: f"{900000 + n:06d}")
    published_at = factory.LazyFunction(timezone.now)
    reported_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def scope(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        occupations = extracted if extracted is not None else [OccupationFactory()]
        letter = FilingLetter.objects.create(
            province=self.province, filing=self, kind=LetterKind.LETTER, number=self.filing_number,
            issued_on=self.filed_on, issuing_body="测试单位",
            scope=[{"code": o.code, "occupation": o.name, "work_type": "", "levels": [5, 4, 3],
                    "level_labels": "五级/初级工、四级/中级工、三级/高级工"} for o in occupations],
        )
        give_pdf(letter)
        for occupation in occupations:
            FilingOccupation.objects.create(filing=self, occupation=occupation, levels=[5, 4, 3], added_on=self.filed_on,
                                            valid_until=self.valid_until, letter=letter)


def an_addition(province: Province | str) -> OccupationAddition:
    filing_ = FilingFactory(province=province)
    addition = OccupationAddition.objects.create(
        province=filing_.province, filing=filing_, has_completed_question_bank=True, operating_normally=True,
        submitted_by=member(filing_.institution),
    )
    AdditionOccupation.objects.create(addition=addition, occupation=OccupationFactory(), levels=[5, 4])
    return addition

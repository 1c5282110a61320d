"""Factories for filings' calls and applications (factory-boy): occupations, evidence, corrections and submissions,
with traits for the usual shapes; small real files; and compliant facts for the three packs.

    CallFactory(province="sd")                      an open call (deadline in 30 days)
    CallFactory(closed=True)                        intake closed five days ago, city review runs ten more days
    ApplicationFactory(province="gz")               a draft of a Guizhou social organization, in Guiyang
    ApplicationFactory(submitted=True)              submitted to its city (route "city")
    ApplicationFactory(in_city_review=True)         accepted by an officer of its city
    ApplicationFactory(ready=True)                  a draft that passes the pre-check, every required file and the
                                                    pledge in place: submit_application() accepts it
    ApplicationFactory(city_scoring=True)           as the city review left it for selection: one occupation
                                                    (车工 6-18-01-01 at levels 4 and 3), its call's intake closed
    ApplicationFactory(province_route=True)         submitted straight to the province (no city review)
    ApplicationFactory(publicity_ended=True)        publicity ended, where cultivation or filing begins: one new
                                                    occupation at levels 5, 4, 3 (occupations=N for N, or a list)

Provinces, cities and occupations are reference data: the factories look them up, never create them.
"""

import datetime as dt
import hashlib
import io
import time
from collections.abc import Sequence
from typing import Any

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from filings import selectors
from filings.models import (
    Application,
    ApplicationOccupation,
    ApplicationState,
    Call,
    Correction,
    CorrectionItem,
    Evidence,
    Route,
    Submission,
)
from portal.models import City, Occupation, RegistrationNature
from tests.factories.portal import (
    InstitutionFactory,
    OccupationFactory,
    UserFactory,
    member_of,
    province_of,
    provincial_officer,
)

S = ApplicationState

def pdf_bytes(text: str = "skills portal test") -> bytes:
    """A real one-page PDF (Pillow's writer), about 1.5 kB; the same bytes for the same text."""
    buffer = io.BytesIO()
    fixed = time.gmtime(1_767_600_000)  # a fixed creation date (Pillow writes time.struct_time as a PDF date)
    Image.new("RGB", (40, 20), (255, 255, 255)).save(
        buffer, format="PDF", title=text, creationDate=fixed, modDate=fixed
    )
    return buffer.getvalue()


def png_bytes(colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, format="PNG")
    return buffer.getvalue()


# An executable (the DOS stub every Windows .exe starts with), to be renamed .pdf by a test.
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run in DOS mode."

# A unified social credit code whose check character is wrong: GB 32100 makes it "D", not "0".
BAD_CREDIT_CODE = "91440101MA59ABCD10"
BAD_CREDIT_CODE_EXPECTED_CHECK = "D"

DEFAULT_CATEGORY = {"gd": "other", "sd": "private_training", "gz": "social_organization"}
DEFAULT_NATURE = {
    "other": RegistrationNature.SOCIAL_GROUP,
    "private_training": RegistrationNature.PRIVATE_NON_ENTERPRISE,
    "social_organization": RegistrationNature.PRIVATE_NON_ENTERPRISE,
}
CHEF = "4-03-02-01"  # 中式烹调师: skill type, national standard, not access type
PASTRY_CHEF = "4-03-02-02"  # 中式面点师
TEA = "4-03-02-07"  # 茶艺师
ECOMMERCE = "4-01-06-01"  # 电子商务师

_GD_NINE_RULES = (
    "rules_work_procedure", "rules_exam_affairs", "rules_exam_room", "rules_paper_confidentiality", "rules_job_duties",
    "rules_archives", "rules_staff_code", "rules_equipment_safety", "rules_fees_finance",
)
GD_OTHER_FACTS: dict[str, Any] = {
    "is_independent_legal_person": True,
    "licences_complete": True,
    "has_bad_credit_record": False,
    "venue_area_m2": 260,
    "venue_safe_and_suitable": True,
    "is_venue_leased": False,
    "online_evaluation": False,
    "equipment_adequate": True,
    "has_video_surveillance": True,
    "has_remote_live_monitoring": True,
    "retains_recordings": True,
    "full_time_staff": 8,
    "has_head": True,
    "has_assessors": True,
    "has_exam_affairs_staff": True,
    "has_internal_supervisor": True,
    "has_resource_developer": True,
    "staff_under_contract": True,
    "trains_within_licence": True,
    **dict.fromkeys(_GD_NINE_RULES, True),
    "is_association": True,
    "is_public_training_base": False,
    "member_units": 120,
    "individual_members": 0,
    "provincial_department_recommended": False,
    "filed_with_mohrss": False,
    "is_chain_leader": False,
    "is_adding_occupations": False,
    "is_government_affiliated": False,
    "has_violation_record": False,
    "has_confirmed_negative_opinion": False,
    "failed_annual_inspection_3y": False,
    "on_illegal_org_list": False,
    "abnormal_operation_3y": False,
}
SD_PRIVATE_TRAINING_FACTS: dict[str, Any] = {
    "has_financial_rules": True,
    "has_management_rules": True,
    "has_bad_record": False,
    "has_quality_control_rules": True,
    "has_emergency_plan": True,
    "dedicated_unit": True,
    "full_time_staff": 6,
    "has_assessors": True,
    "has_invigilators": True,
    "has_supervisors": True,
    "has_expert_team": True,
    "has_standard_theory_room": True,
    "has_exam_network_and_computers": True,
    "has_practical_venue": True,
    "has_identity_verification": True,
    "has_signal_blocking": True,
    "has_av_monitoring": True,
    "has_stable_funding": True,
    "non_profit": True,
}
GZ_SOCIAL_ORGANIZATION_FACTS: dict[str, Any] = {
    "venue_meets_national_standard": True,
    "venue_meets_safety_rules": True,
    "is_government_affiliated": False,
    "has_violation_record": False,
    "failed_annual_inspection_3y": False,
    "on_illegal_org_list": False,
    "abnormal_operation_3y": False,
    "under_unfinished_rectification": False,
    "is_school": False,
    "is_public_training_base": False,
    "is_research_institute": False,
    **dict.fromkeys(
        ("rules_exam_affairs", "rules_personnel", "rules_finance", "rules_archives", "rules_question_bank",
         "rules_certificates", "rules_discipline"),
        True,
    ),
    "has_exam_affairs_room": True,
    "has_confidential_room": True,
    "has_archive_room": True,
    "has_waiting_room": True,
    "local_feature_enterprise": False,
    "full_time_staff": 5,
    "internal_supervisors": 3,
    "has_expert_team": True,
    "is_venue_leased": True,
    "lease_years": 5,
    "office_area_m2": 120,
    "has_office_equipment": True,
    "theory_rooms": 2,
    "computer_seats": 0,
    "single_desk": True,
    "desk_spacing_cm": 80,
    "has_exam_room_surveillance": True,
    "has_full_practical_video_coverage": True,
}
COMPLIANT_FACTS = {"gd": GD_OTHER_FACTS, "sd": SD_PRIVATE_TRAINING_FACTS, "gz": GZ_SOCIAL_ORGANIZATION_FACTS}
# Optional materials the compliant facts still call for (the Guangdong association's member roll).
COMPLIANT_EXTRA_DOCUMENTS = {"gd": ("association_members",), "sd": (), "gz": ()}
COMPLIANT_OCCUPATION_FACTS: dict[str, dict[str, Any]] = {
    "gd": {},
    "sd": {"within_own_scope": True, "evaluation_years": 3, "evaluated_count": 450},
    "gz": {"matches_main_business": True, "training_years": 3, "trainees": 1500, "assessors": 5,
           "is_new_occupation": False},
}


def occupation(code: str) -> Occupation:
    return Occupation.objects.get(code=code)


def city(code: str) -> City:
    return City.objects.get(code=code)


def _occupations(default: int | Sequence[Any], levels: Sequence[int]) -> Any:
    """The `occupations` post-generation of an application: `occupations=N` adds N new occupations, a list adds each
    item (an Occupation, a code, or an (occupation or code, levels) pair); `default` when not given."""

    def add(application: Application, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        items = default if extracted is None else extracted
        if isinstance(items, int):
            items = [OccupationFactory() for _ in range(items)]
        for item in items:
            chosen, item_levels = item if isinstance(item, tuple) else (item, levels)
            if isinstance(chosen, str):
                chosen = occupation(chosen)
            ApplicationOccupation.objects.create(application=application, occupation=chosen, levels=list(item_levels))

    return factory.PostGeneration(add)


class CallFactory(factory.django.DjangoModelFactory):
    """A call for applications, open for another 30 days by default."""

    class Meta:
        model = Call
        skip_postgeneration_save = True

    province = factory.Transformer("gd", transform=province_of)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    title = factory.Sequence(lambda n: f"测试申报批次{n}")
    application_deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    city_review_deadline = factory.LazyAttribute(lambda o: o.application_deadline + dt.timedelta(days=14))
    created_by = factory.SubFactory(UserFactory)

    class Params:
        open = factory.Trait(application_deadline=factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30)))
        closed = factory.Trait(
            application_deadline=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=5)),
            city_review_deadline=factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10)),
            created_by=factory.LazyAttribute(lambda o: provincial_officer(o.province)),
        )
        city_deadline_passed = factory.Trait(
            closed=True, city_review_deadline=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
        )

    @factory.post_generation
    def occupations(self, create: bool, extracted: list[Occupation] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.occupations.set(extracted)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application of an institution of the province's default category (Guangdong "other", Shandong
    "private_training", Guizhou "social_organization") in its capital, a draft unless a trait says otherwise."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    province = factory.Transformer("gd", transform=province_of)
    institution = factory.SubFactory(
        InstitutionFactory, province=factory.SelfAttribute("..province"),
        category=factory.LazyAttribute(lambda o: DEFAULT_CATEGORY[o.province.slug]),
        nature=factory.LazyAttribute(lambda o: DEFAULT_NATURE[o.category]),
    )
    call = factory.SubFactory(CallFactory, province=factory.SelfAttribute("..province"))
    city = factory.LazyAttribute(lambda o: o.institution.city)
    category = factory.LazyAttribute(lambda o: o.institution.category)
    created_by = factory.SubFactory(UserFactory)
    occupations = _occupations((), (5, 4, 3))

    class Params:
        pledged = factory.Trait(pledge_confirmed_at=factory.LazyFunction(timezone.now), pledge_signer="王强")
        submitted = factory.Trait(
            state=S.SUBMITTED, route=Route.CITY, submitted_at=factory.LazyFunction(timezone.now), submission_count=1,
            pledged=True,
        )
        in_city_review = factory.Trait(
            submitted=True, state=S.CITY_REVIEW,
            reviewer=factory.SubFactory(UserFactory),
        )
        returned = factory.Trait(in_city_review=True, state=S.RETURNED)
        not_recommended = factory.Trait(
            in_city_review=True, state=S.NOT_RECOMMENDED, decision_reason="场所面积不足",
            decided_at=factory.LazyFunction(timezone.now),
        )
        city_scoring = factory.Trait(
            call=factory.SubFactory(CallFactory, province=factory.SelfAttribute("..province"), closed=True),
            route=Route.CITY, state=S.CITY_SCORING, submitted_at=factory.LazyFunction(timezone.now),
            submission_count=1, created_by=factory.LazyAttribute(lambda o: member_of(o.institution)),
            occupations=_occupations(("6-18-01-01",), (4, 3)),
        )
        province_route = factory.Trait(city_scoring=True, route=Route.PROVINCE, state=S.SUBMITTED)
        publicity_ended = factory.Trait(
            institution=factory.SubFactory(InstitutionFactory, province=factory.SelfAttribute("..province")),
            call=factory.SubFactory(CallFactory, province=factory.SelfAttribute("..province"), year=2026),
            state=S.PUBLICITY_ENDED, route=Route.CITY, occupations=_occupations(1, (5, 4, 3)),
        )

    @factory.post_generation
    def ready(self, create: bool, extracted: bool | None, **kwargs: Any) -> None:
        """ready=True: occupations, compliant facts, every required file and the pledge, so the draft may be submitted."""
        if create and extracted:
            make_ready(self)


class ApplicationOccupationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationOccupation

    application = factory.SubFactory(ApplicationFactory)
    occupation = factory.LazyFunction(lambda: occupation(CHEF))
    work_type = None
    levels = factory.LazyFunction(lambda: [5, 4, 3])


class EvidenceFactory(factory.django.DjangoModelFactory):
    """An uploaded material: a real small PDF, stored in the test's private storage."""

    class Meta:
        model = Evidence
        exclude = ("content",)

    application = factory.SubFactory(ApplicationFactory)
    checklist_key = "application_form"
    content = factory.LazyFunction(pdf_bytes)
    file = factory.LazyAttribute(lambda o: ContentFile(o.content, name="upload.bin"))
    original_name = factory.Sequence(lambda n: f"材料{n}.pdf")
    content_type = "application/pdf"
    size = factory.LazyAttribute(lambda o: len(o.content))
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.content).hexdigest())
    uploaded_by = factory.SubFactory(UserFactory)


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    application = factory.SubFactory(ApplicationFactory, returned=True)
    round = 1
    note = ""
    created_by = factory.SubFactory(UserFactory)


class CorrectionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CorrectionItem

    correction = factory.SubFactory(CorrectionFactory)
    target = "fact:venue_area_m2"
    target_label = "场所总建筑面积"
    problem = factory.Sequence(lambda n: f"问题说明{n}")


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    application = factory.SubFactory(ApplicationFactory, submitted=True)
    number = 1
    snapshot = factory.LazyAttribute(lambda o: selectors.snapshot(o.application))
    submitted_by = factory.SubFactory(UserFactory)


def make_ready(application: Application, *, occupations: tuple[str, ...] = (CHEF,)) -> Application:
    """Fill a draft so that it passes the pre-check: occupations, the pack's compliant facts, one file for every
    required checklist item and the confirmed pledge. Writes directly (no audit events), as a fixture does."""
    slug = application.province.slug
    for code in occupations:
        ApplicationOccupationFactory(
            application=application, occupation=occupation(code), facts=dict(COMPLIANT_OCCUPATION_FACTS[slug])
        )
    Application.objects.filter(pk=application.pk).update(
        facts=dict(COMPLIANT_FACTS[slug]), pledge_confirmed_at=timezone.now(), pledge_signer="王强"
    )
    pack = selectors.pack_for(application.province)
    for item in pack.checklist_for(application.category):
        if item.required or item.key in COMPLIANT_EXTRA_DOCUMENTS[slug]:
            EvidenceFactory(application=application, checklist_key=item.key, original_name=f"{item.key}.pdf")
    application.refresh_from_db()
    return application

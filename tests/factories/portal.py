"""Factories for the platform core's models (factory-boy), with traits for the usual shapes, and the people helpers.

Provinces and cities are reference data loaded by migrations: factories look them up, never create them.
Wherever a factory or helper takes a province it accepts a slug ("gd", "sd", "gz") or a Province; where it has a
default province, that default is Guangdong ("gd"), everywhere.
"""

import datetime as dt
from typing import Any

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from rest_framework.authtoken.models import Token
from stdnum.cn import ric, uscc

from portal.models import (
    AuditEvent,
    CalendarDay,
    CalendarYear,
    City,
    DayKind,
    ExportJob,
    Institution,
    InstitutionLevel,
    Membership,
    NoticeState,
    Notification,
    Objection,
    Occupation,
    Province,
    PublicityItem,
    PublicityNotice,
    RegistrationNature,
    Role,
    User,
    WorkType,
)

PASSWORD = "correct-horse-battery-9"  # every factory user's password


def province_of(value: Province | str) -> Province:
    """A Province from a slug ("gd") or a Province."""
    if isinstance(value, Province):
        return value
    return Province.objects.get(slug=value)


def first_city(province: Province) -> City:
    """The province's capital in GB/T 2260 order (广州 4401, 济南 3701, 贵阳 5201)."""
    return City.objects.filter(province=province).order_by("code")[0]


def credit_code(region: str, serial: int) -> str:
    """A unified social credit code with a correct check character: 91 + 6-digit region + 9-char org code."""
    body = f"91{region}{serial:09d}"
    return body + uscc.calc_check_digit(body)


def id_number(region: str = "440106", birth: str = "19900307", serial: int = 123) -> str:
    """A resident identity number with a correct check character."""
    body = f"{region}{birth}{serial:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum ignores the last character: it expects 18


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"测试用户{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.cn")
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    password = factory.django.Password(PASSWORD)

    class Params:
        superuser = factory.Trait(is_staff=True, is_superuser=True)


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    province = factory.Transformer("gd", transform=province_of)
    city = factory.LazyAttribute(lambda o: first_city(o.province))
    name = factory.Sequence(lambda n: f"测试职业技能评价中心{n}")
    credit_code = factory.LazyAttributeSequence(lambda o, n: credit_code(f"{o.province.code}0100", n))
    category = "other"
    nature = RegistrationNature.PRIVATE_NON_ENTERPRISE
    level = InstitutionLevel.CITY
    address = factory.LazyAttribute(lambda o: f"{o.city.name}测试路1号")
    legal_representative = "王强"
    contact_person = "李华"
    contact_phone = "020-12345678"


class MembershipFactory(factory.django.DjangoModelFactory):
    """A role in a province. Default: provincial officer of Guangdong."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    province = factory.Transformer("gd", transform=province_of)
    role = Role.PROVINCIAL_OFFICER
    city = None
    institution = None

    class Params:
        provincial_officer = factory.Trait(role=Role.PROVINCIAL_OFFICER)
        city_officer = factory.Trait(
            role=Role.CITY_OFFICER, city=factory.LazyAttribute(lambda o: first_city(o.province))
        )
        expert = factory.Trait(role=Role.EXPERT)
        quality_supervisor = factory.Trait(role=Role.QUALITY_SUPERVISOR)
        institution_member = factory.Trait(
            role=Role.INSTITUTION_MEMBER,
            institution=factory.SubFactory(InstitutionFactory, province=factory.SelfAttribute("..province")),
        )


class AuditEventFactory(factory.django.DjangoModelFactory):
    """An audit event. Pass at=<aware datetime> to date it: `at` is auto_now_add, so it is set after insert."""

    class Meta:
        model = AuditEvent

    actor = factory.SubFactory(UserFactory)
    province = factory.Transformer("gd", transform=province_of)
    object_type = "portal.institution"
    object_id = factory.Sequence(str)
    object_repr = factory.Sequence(lambda n: f"测试机构{n}")
    action = "institution_updated"
    from_state = ""
    to_state = ""
    reason = ""
    changes = factory.LazyFunction(dict)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):  # type: ignore[no-untyped-def]
        at = kwargs.pop("at", None)
        event = super()._create(model_class, *args, **kwargs)
        if at is not None:
            # Events are append-only through the model; a test backdates one with a queryset update.
            AuditEvent.objects.filter(pk=event.pk).update(at=at)
            event.at = at
        return event


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    province = factory.Transformer("gd", transform=province_of)
    title = factory.Sequence(lambda n: f"测试消息{n}")
    body = "请及时处理。"
    link = ""

    class Params:
        read = factory.Trait(read_at=factory.LazyFunction(timezone.now))


class ExportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExportJob

    requested_by = factory.SubFactory(UserFactory)
    province = factory.Transformer("gd", transform=province_of)
    export_name = "audit_events"
    title = "审计日志"
    params = factory.LazyFunction(dict)
    status = ExportJob.Status.PENDING

    class Params:
        done = factory.Trait(
            status=ExportJob.Status.DONE,
            row_count=1,
            file=factory.LazyFunction(lambda: ContentFile(b"not really xlsx", name="export.xlsx")),
            finished_at=factory.LazyFunction(timezone.now),
        )


class OccupationFactory(factory.django.DjangoModelFactory):
    """An occupation outside the shipped subset (major group 9 does not exist in the 2022 classification)."""

    class Meta:
        model = Occupation

    code = factory.Sequence(lambda n: f"9-{n // 10000 % 100:02d}-{n // 100 % 100:02d}-{n % 100:02d}")
    name = factory.Sequence(lambda n: f"测试职业{n}")
    is_skill_type = True
    has_national_standard = True

    class Params:
        access_type = factory.Trait(is_access_type=True)
        not_skill_type = factory.Trait(is_skill_type=False, has_national_standard=False)


class WorkTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkType

    occupation = factory.SubFactory(OccupationFactory)
    name = factory.Sequence(lambda n: f"测试工种{n}")


class CalendarYearFactory(factory.django.DjangoModelFactory):
    """A calendar year past the seeded ones. with_days=True also creates every day (weekdays work, weekends rest)."""

    class Meta:
        model = CalendarYear
        django_get_or_create = ("year",)
        skip_postgeneration_save = True

    year = factory.Sequence(lambda n: 2040 + n)
    source = "国务院办公厅关于部分节假日安排的通知（测试）"
    is_published = False

    class Params:
        published = factory.Trait(is_published=True)

    @factory.post_generation
    def with_days(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if not (create and extracted):
            return
        first = dt.date(self.year, 1, 1)
        days = (dt.date(self.year + 1, 1, 1) - first).days
        CalendarDay.objects.bulk_create(
            CalendarDayFactory.build(date=first + dt.timedelta(days=i)) for i in range(days)
        )


class CalendarDayFactory(factory.django.DjangoModelFactory):
    """A plain day: a working day from Monday to Friday, a weekend otherwise. Traits for holidays and 调休."""

    class Meta:
        model = CalendarDay

    date = factory.Sequence(lambda n: dt.date(2040, 1, 1) + dt.timedelta(days=n))
    is_working_day = factory.LazyAttribute(lambda o: o.date.weekday() < 5)
    kind = factory.LazyAttribute(lambda o: DayKind.WORKDAY if o.date.weekday() < 5 else DayKind.WEEKEND)
    holiday_name = ""

    class Params:
        holiday = factory.Trait(is_working_day=False, kind=DayKind.HOLIDAY, holiday_name="元旦")
        makeup_workday = factory.Trait(is_working_day=True, kind=DayKind.MAKEUP_WORKDAY, holiday_name="元旦")


class TokenFactory(factory.django.DjangoModelFactory):
    """A DRF auth token (rest_framework.authtoken)."""

    class Meta:
        model = Token

    user = factory.SubFactory(UserFactory)


def provincial_officer(province: Province | str = "gd", **user_kwargs: object) -> User:
    """A new user who is a provincial officer of `province` (Guangdong unless given)."""
    user = UserFactory(**user_kwargs)
    MembershipFactory(user=user, province=province, provincial_officer=True)
    return user


def city_officer(province: Province | str, city_code: str | None = None, **user_kwargs: object) -> User:
    """A new user who is an officer of the city `city_code` ("4401"), or of the province's capital when None."""
    user = UserFactory(**user_kwargs)
    if city_code is None:
        MembershipFactory(user=user, province=province, city_officer=True)
    else:
        MembershipFactory(user=user, province=province, city_officer=True, city=City.objects.get(code=city_code))
    return user


def city_officer_of(obj: Any) -> User:
    """A new officer of the city of `obj` (an institution, filing, exam plan: anything with province and city)."""
    return city_officer(obj.province, obj.city.code)


def officer(province: Province | str = "gd", *, city: bool = False, **user_kwargs: object) -> User:
    """A user with one officer membership: provincial by default, of the province's capital with city=True."""
    if city:
        return city_officer(province, **user_kwargs)
    return provincial_officer(province, **user_kwargs)


def member_of(institution: Institution, **user_kwargs: object) -> User:
    """A new user who is a member of `institution` (the applicant's side)."""
    user = UserFactory(**user_kwargs)
    MembershipFactory(user=user, province=institution.province, institution_member=True, institution=institution)
    return user


def the_member(obj: Any) -> User:
    """The first member of an institution (or of the institution of `obj`: an application, filing, plan ...), made on
    first use."""
    institution = obj if isinstance(obj, Institution) else obj.institution
    found = Membership.objects.filter(institution=institution, role=Role.INSTITUTION_MEMBER).select_related("user").first()
    return found.user if found else member_of(institution)


class PublicityNoticeFactory(factory.django.DjangoModelFactory):
    """An open notice of the "selection" kind published today, for five working days (dates given, not computed)."""

    class Meta:
        model = PublicityNotice

    province = factory.Transformer("gd", transform=province_of)
    kind = "selection"
    title = factory.Sequence(lambda n: f"测试公示{n}")
    body = "现予公示。"
    published_at = factory.LazyFunction(timezone.now)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=1))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    working_days = 5
    created_by = factory.SubFactory(UserFactory)

    class Params:
        ended = factory.Trait(state=NoticeState.ENDED, ended_at=factory.LazyFunction(timezone.now))


class PublicityItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublicityItem

    notice = factory.SubFactory(PublicityNoticeFactory)
    object_type = "tests.object"
    object_id = factory.Sequence(str)
    position = factory.Sequence(int)
    title = factory.Sequence(lambda n: f"公示对象{n}")
    detail = "广州市 · 测试职业"


class ObjectionFactory(factory.django.DjangoModelFactory):
    """An open objection; with_attachment=True attaches a small PDF."""

    class Meta:
        model = Objection

    item = factory.SubFactory(PublicityItemFactory)
    notice = factory.LazyAttribute(lambda o: o.item.notice)
    name = "张三"
    contact = "13800001111"
    text = "该机构存在违规情形。"
    ip_hash = "0" * 64

    class Params:
        with_attachment = factory.Trait(
            attachment=factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4\n%objection\n", name="evidence.pdf")),
            attachment_name="证明材料.pdf",
            attachment_content_type="application/pdf",
        )

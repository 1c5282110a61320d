"""Demo data of renewals: a Guizhou employer in its renewal window, 60 days before its filing expires."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from stdnum.cn import uscc

from filings.models import Filing, FilingOccupation
from portal import demo
from portal.models import City, Institution, InstitutionLevel, Membership, Occupation, Province, Role, User

DAYS_LEFT = 60
OCCUPATION = "6-31-01-03"  # 电工


def _credit_code() -> str:
    body = "91520100MA52RNW0D"
    return body + uscc.calc_check_digit(body)


def _member(institution: Institution) -> None:
    user, created = User.objects.get_or_create(username="gz-org-renewal", defaults={"display_name": institution.name})
    if created:
        user.set_password(demo.DEMO_PASSWORD)
        user.save()
    Membership.objects.get_or_create(user=user, province=institution.province, role=Role.INSTITUTION_MEMBER,
                                     institution=institution)


@demo.register(61, "supervision: a Guizhou organization in its renewal window")
def load_renewal_window() -> None:
    province = Province.objects.filter(slug="gz").first()
    occupation = Occupation.objects.filter(code=OCCUPATION).first()
    if province is None or occupation is None:
        return
    city = City.objects.filter(province=province).order_by("code").first()
    if city is None:
        return
    today = timezone.localdate()
    with transaction.atomic():
        institution, _created = Institution.objects.get_or_create(
            province=province, credit_code=_credit_code(), defaults={
                "city": city, "name": "贵州黔电装备有限公司", "category": "employer", "nature": "enterprise",
                "level": InstitutionLevel.CITY, "address": f"{city.name}观山湖区示范路52号",
                "legal_representative": "王强", "registered_capital": Decimal("3000.00"), "contact_person": "赵敏",
                "contact_phone": "0851-12345678"})
        _member(institution)
        if Filing.objects.filter(institution=institution).exists():
            return  # idempotency: loaded once
        valid_until = today + dt.timedelta(days=DAYS_LEFT)
        filing = Filing.objects.create(
            province=province, institution=institution, city=city, filing_number="黔技评备〔演示〕52号",
            filed_on=valid_until.replace(year=valid_until.year - 3) + dt.timedelta(days=1),
            valid_from=valid_until.replace(year=valid_until.year - 3) + dt.timedelta(days=1), valid_until=valid_until,
            organization_sequence="000952", published_at=timezone.now(), reported_at=timezone.now())
        FilingOccupation.objects.create(filing=filing, occupation=occupation, levels=[5, 4, 3],
                                        added_on=filing.filed_on, valid_until=valid_until)

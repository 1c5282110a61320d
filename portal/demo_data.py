"""The core's demo data: for each province an officer, two city officers, two experts, a quality supervisor and
two institutions of different categories with one member account each; plus the superuser `admin`."""

from decimal import Decimal

from stdnum.cn import uscc

from . import demo
from .models import City, Institution, InstitutionLevel, Membership, Province, RegistrationNature, Role, User

DEMO_CITIES = {"gd": ("4401", "4403"), "sd": ("3701", "3702"), "gz": ("5201", "5203")}

# (slug, number, name, category key of the province's pack, nature, city index)
DEMO_INSTITUTIONS = [
    ("gd", 1, "广东省智能制造产业协会", "other", RegistrationNature.SOCIAL_GROUP, 0),
    ("gd", 2, "深圳市华技精密制造股份有限公司", "leading_enterprise", RegistrationNature.ENTERPRISE, 1),
    ("sd", 1, "济南重工装备集团有限公司", "enterprise", RegistrationNature.ENTERPRISE, 0),
    ("sd", 2, "青岛海工职业培训学校", "private_training", RegistrationNature.PRIVATE_NON_ENTERPRISE, 1),
    ("gz", 1, "贵州黔匠职业技能评价中心", "social_organization", RegistrationNature.PRIVATE_NON_ENTERPRISE, 0),
    ("gz", 2, "遵义山地装备制造有限公司", "employer", RegistrationNature.ENTERPRISE, 1),
]


def demo_credit_code(province_code: str, number: int) -> str:
    """A well-formed unified social credit code for demo institutions (check character computed, never real)."""
    body = f"91{province_code}0100MA{number:04d}DEM"[:17]
    body = body.replace("I", "1").replace("O", "0").replace("S", "5").replace("V", "W").replace("Z", "2")
    return body + uscc.calc_check_digit(body)


def _user(username: str, display_name: str, *, superuser: bool = False) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"display_name": display_name, "email": f"{username}@demo.skills-portal.example.cn"},
    )
    if created:
        user.set_password(demo.DEMO_PASSWORD)
        user.is_staff = user.is_superuser = superuser
        user.save()
    return user


def _grant(user: User, province: Province, role: str, *, city: City | None = None,
           institution: Institution | None = None) -> None:
    Membership.objects.get_or_create(user=user, province=province, role=role, city=city, institution=institution)


@demo.register(10, "accounts and institutions")
def load_core_demo() -> None:
    _user("admin", "平台管理员", superuser=True)
    for province in Province.objects.filter(slug__in=DEMO_CITIES):
        slug = province.slug
        _grant(_user(f"{slug}-province", f"{province.name}经办人"), province, Role.PROVINCIAL_OFFICER)
        for code in DEMO_CITIES[slug]:
            city = City.objects.get(code=code)
            _grant(_user(f"{slug}-city-{code}", f"{city.name}经办人"), province, Role.CITY_OFFICER, city=city)
        for n in (1, 2):
            _grant(_user(f"{slug}-expert-{n}", f"{province.name}评审专家{n}"), province, Role.EXPERT)
        _grant(_user(f"{slug}-supervisor", f"{province.name}质量督导员"), province, Role.QUALITY_SUPERVISOR)
    for slug, number, name, category, nature, city_index in DEMO_INSTITUTIONS:
        province = Province.objects.get(slug=slug)
        city = City.objects.get(code=DEMO_CITIES[slug][city_index])
        institution, _ = Institution.objects.get_or_create(
            province=province,
            credit_code=demo_credit_code(province.code, number),
            defaults={
                "city": city, "name": name, "category": category, "nature": nature,
                "level": InstitutionLevel.CITY, "address": f"{city.name}示范路{number}号",
                "legal_representative": "张明", "registered_capital": Decimal("1000.00"),
                "contact_person": "李华", "contact_title": "办公室主任", "contact_phone": "020-12345678",
                "contact_email": f"{slug}-org-{number}@demo.skills-portal.example.cn",
            },
        )
        _grant(_user(f"{slug}-org-{number}", name), province, Role.INSTITUTION_MEMBER, institution=institution)

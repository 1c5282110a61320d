"""Demo data of selection: the demo expert accounts (gd-expert-1, -2, …) in their province's expert pool."""

from stdnum.cn import uscc

from portal import demo
from portal.models import City, Membership, Role

from .models import Expert

# (employer, fields) for expert 1 and 2 of each demo province
DEMO_EXPERTS = {
    "gd": [("广东省职业技能鉴定指导中心专家委员会", ["6"]), ("广州市技师学院", ["4", "6-18"])],
    "sd": [("山东省职业技能鉴定指导中心专家委员会", ["6"]), ("济南职业学院", ["4", "6"])],
    "gz": [("贵州省职业技能鉴定指导中心专家委员会", ["6"]), ("贵州装备制造职业学院", ["4", "6"])],
}


def _employer_code(province_code: str, n: int) -> str:
    body = f"12{province_code}0000EXP{n:06d}"
    return body + uscc.calc_check_digit(body)


@demo.register(30, "expert pool")
def load_experts() -> None:
    memberships = Membership.objects.filter(role=Role.EXPERT, user__username__contains="-expert-").select_related(
        "user", "province")
    for membership in memberships:
        user, province = membership.user, membership.province
        employers = DEMO_EXPERTS.get(province.slug)
        if not employers:
            continue
        n = int(user.username.rsplit("-", 1)[1])
        employer, fields = employers[(n - 1) % len(employers)]
        Expert.objects.get_or_create(
            province=province, user=user,
            defaults={"name": user.display_name or user.username, "employer": employer,
                      "employer_credit_code": _employer_code(province.code, n),
                      "city": City.objects.filter(province=province).order_by("code").first(),
                      "fields": fields, "contact": f"{user.username}@demo.skills-portal.example.cn"},
        )

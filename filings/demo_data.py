"""Demo data of filings: an open call in each demo province, a Guangdong cultivation and Shandong filings."""

import datetime as dt

from django.utils import timezone

from portal import demo
from portal.models import City, Institution, Occupation, Province, User

from . import selectors, services
from .models import Application, ApplicationOccupation, ApplicationState, Call, Cultivation, Filing


@demo.register(20, "open calls for applications")
def load_calls() -> None:
    officer_by_slug = {u.username.split("-")[0]: u for u in User.objects.filter(username__endswith="-province")}
    today = timezone.localdate()
    for province in Province.objects.filter(slug__in=officer_by_slug):
        year = today.year
        deadline = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=60), dt.time(23, 59)))
        Call.objects.get_or_create(
            province=province, year=year, title=f"{province.name}{year}年社会培训评价组织遴选",
            defaults={
                "application_deadline": deadline,
                "city_review_deadline": deadline + dt.timedelta(days=14),
                "created_by": officer_by_slug[province.slug],
            },
        )


# (province slug, demo institution number, occupation codes) — see portal/demo_data.py for the institutions
GUANGDONG_IN_CULTIVATION = ("gd", 2, ("6-18-02-04",))  # 焊工, the access-type exception of 001 三(一)


SHANDONG_FILED = ("sd", 1, ("6-31-01-03", "4-12-01-01"))  # 电工, 汽车维修工


def _demo_call(province: Province) -> Call:
    """An earlier round of the province, so that these applications never collide with the open call's."""
    year = timezone.localdate().year - 1
    deadline = dt.datetime(year, 5, 19, 23, 59, tzinfo=timezone.get_current_timezone())
    call, _ = Call.objects.get_or_create(
        province=province, title=f"{province.name}{year}年社会培训评价组织遴选（往期）",
        defaults={"year": year, "application_deadline": deadline,
                  "city_review_deadline": deadline + dt.timedelta(days=6),
                  "created_by": User.objects.get(username=f"{province.slug}-province")},
    )
    return call


def _application_after_publicity(slug: str, number: int, codes: tuple[str, ...]) -> Application | None:
    province = Province.objects.get(slug=slug)
    institution = Institution.objects.filter(province=province, members__user__username=f"{slug}-org-{number}").first()
    occupations = list(Occupation.objects.filter(code__in=codes))
    if institution is None or not occupations:
        return None
    if Cultivation.objects.filter(institution=institution).exists() or Filing.objects.filter(
            institution=institution).exists():
        return None  # idempotency: already loaded
    levels = [level for level in (5, 4, 3) if level in selectors.pack_for(province).settings.allowed_levels]
    application = Application.objects.create(
        province=province, call=_demo_call(province), institution=institution, city=institution.city,
        category=institution.category, state=ApplicationState.PUBLICITY_ENDED, route="city",
        created_by=User.objects.get(username=f"{slug}-org-{number}"),
    )
    for occupation in occupations:
        ApplicationOccupation.objects.create(application=application, occupation=occupation, levels=levels)
    return application


@demo.register(40, "cultivation and filings")
def load_cultivation_and_filings() -> None:
    application = _application_after_publicity(*GUANGDONG_IN_CULTIVATION)
    if application is not None:
        services.advance_after_publicity(application)
    application = _application_after_publicity(*SHANDONG_FILED)
    if application is not None:
        filing = services.advance_after_publicity(application)
        if not isinstance(filing, Filing):  # Shandong files at the end of publicity
            return
        city = City.objects.get(pk=filing.city_id)
        services.report_filings(city, acting_user=User.objects.get(username=f"sd-city-{city.code}"))
        services.publish_filings(filing.province, acting_user=User.objects.get(username="sd-province"),
                                 filing_ids=[filing.pk])

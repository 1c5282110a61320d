"""The reviewer sees who applies: the credit code, legal representative and contact, with a link to the
institution's page that the reviewer may open (city review and provincial review alike)."""

from collections.abc import Callable

import pytest
from django.test import Client

from portal.models import User
from tests.factories import ApplicationFactory, city_officer, provincial_officer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("reviewer", ["city", "province"])
def test_the_review_page_names_the_applicant_and_links_to_it(login: Callable[[User], Client], reviewer: str) -> None:
    application = ApplicationFactory(in_city_review=True)
    institution = application.institution
    officer = city_officer("gd", application.city.code) if reviewer == "city" else provincial_officer("gd")
    client = login(officer)

    html = client.get(f"/gd/review/{application.pk}/").content.decode()

    card = html[html.index('id="applicant"'):]
    card = card[:card.index("</section>")]
    link = f'href="/gd/institutions/{institution.pk}/"'
    for shown in (link, institution.credit_code, institution.legal_representative, institution.contact_person,
                  institution.contact_phone):
        assert shown in card
    assert client.get(f"/gd/institutions/{institution.pk}/").status_code == 200

"""The integrity pledge is signed in Chinese (the words the province publishes); English mode shows its English
translation beside it, marked as a translation, for each province's pack."""

import re

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import ApplicationFactory, the_member

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u4e00-\u9fff]")


def _page(client: Client, slug: str, language: str) -> str:
    application = ApplicationFactory(province=slug)
    client.force_login(the_member(application))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(f"/{slug}/applications/{application.pk}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(("slug", "opening"), [("gd", "The organization pledges: 1."), ("sd", "I pledge: 1."),
                                               ("gz", "The organization pledges: 1.")])
def test_english_mode_shows_the_pledge_in_chinese_and_its_translation(client: Client, slug: str, opening: str) -> None:
    page = _page(client, slug, "en")
    signed = re.search(r'<blockquote class="pledge" lang="zh-Hans">(.*?)</blockquote>', page, re.S)
    assert signed is not None and "承诺" in signed.group(1)
    translation = re.search(r'<p class="pledge-translation" id="pledge-translation">.*?<br>(.*?)</p>', page, re.S)
    assert translation is not None
    assert translation.group(1).strip().startswith(opening) and not CJK.search(translation.group(1))
    assert "what is signed is the Chinese pledge above" in page


def test_chinese_mode_shows_the_pledge_alone(client: Client) -> None:
    page = _page(client, "gd", "zh-hans")
    assert 'class="pledge"' in page and "pledge-translation" not in page

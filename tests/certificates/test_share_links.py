"""Share links: for chosen certificates of the holder only, 30 days by default, the identity number masked or absent
(checked on the raw HTML), revocable, each view counted and shown to the holder; only the token's hash is stored."""

import datetime as dt
import hashlib
import re

import pytest
from django.test import Client
from django.utils import timezone

from certificates.models import Certificate, ShareLink
from portal.models import AuditEvent
from tests.certificates.holders import HOLDER_ID as ID, HOLDER_PASSWORD as PASSWORD, OTHER_ID
from tests.factories import a_certificate

pytestmark = pytest.mark.django_db


def holder_client(certificate: Certificate, id_number: str = ID, name: str = "王小明") -> Client:
    client = Client()
    client.post("/holder/open/", {"id_number": id_number, "name": name, "certificate_number": certificate.number,
                                  "password1": PASSWORD, "password2": PASSWORD})
    return client


def share(client: Client, *certificates: Certificate, **extra: object) -> str:
    """Create a link; return its URL path as the holder's page shows it once."""
    response = client.post("/holder/shares/", {"certificates": [c.pk for c in certificates], **extra})
    assert response.status_code == 302, response.content.decode()
    page = client.get("/holder/").content.decode()
    found = re.search(r'id="new-link"[^>]* value="http://testserver(/holder/s/[^"]+/)"', page)
    assert found, "the new link is shown once on the holder's page"
    return found.group(1)


def test_a_link_shows_the_chosen_certificates_with_the_id_masked_by_default(mine: Certificate) -> None:
    second = a_certificate("sd", name="王小明", id_number=ID)
    client = holder_client(mine)

    path = share(client, mine)
    html = Client().get(path).content.decode()

    assert mine.number in html and second.number not in html
    assert "4401**********123X" in html and ID not in html
    link = ShareLink.objects.get()
    assert link.expires_at - link.created_at == pytest.approx(dt.timedelta(days=30), abs=dt.timedelta(seconds=5))
    token = path.rstrip("/").rsplit("/", 1)[-1]
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in link.token_hash
    assert len(token) >= 40  # 32 random bytes
    assert "new-link" not in client.get("/holder/").content.decode()  # shown once


def test_a_link_without_the_id_number_shows_none_of_it_in_the_html(mine: Certificate) -> None:
    client = holder_client(mine)

    html = Client().get(share(client, mine, id_display="hidden")).content.decode()

    assert mine.number in html and "王小明" in html
    for part in (ID, ID[:4], ID[-4:], "4401**", "**123X", "证件号码", "居民身份证"):
        assert part not in html


def test_each_view_is_counted_and_shown_to_the_holder(mine: Certificate) -> None:
    client = holder_client(mine)
    path = share(client, mine)

    for _ in range(3):
        assert Client().get(path).status_code == 200

    assert ShareLink.objects.get().view_count == 3
    page = client.get("/holder/").content.decode()
    assert re.search(r'class="view-count">3<', page)


def test_a_revoked_or_expired_link_shows_nothing(mine: Certificate) -> None:
    client = holder_client(mine)
    path = share(client, mine)
    link = ShareLink.objects.get()

    assert client.post(f"/holder/shares/{link.pk}/revoke/").status_code == 302
    revoked = Client().get(path)
    assert revoked.status_code == 404 and mine.number not in revoked.content.decode()
    assert AuditEvent.objects.filter(action="share_link_revoked", object_id=str(link.pk)).exists()

    expired_path = share(client, mine)
    ShareLink.objects.filter(revoked_at__isnull=True).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert Client().get(expired_path).status_code == 404
    assert Client().get("/holder/s/not-a-token/").status_code == 404


def test_a_holder_shares_only_their_own_certificates_and_revokes_only_their_own_links(mine: Certificate) -> None:
    theirs = a_certificate("gd", name="李四", id_number=OTHER_ID)
    client = holder_client(mine)
    stranger = holder_client(theirs, OTHER_ID, "李四")

    refused = client.post("/holder/shares/", {"certificates": [theirs.pk]})
    assert refused.status_code == 400 and not ShareLink.objects.exists()

    share(client, mine)
    link = ShareLink.objects.get()
    assert stranger.post(f"/holder/shares/{link.pk}/revoke/").status_code == 404
    assert ShareLink.objects.get().revoked_at is None


def test_a_bad_expiry_is_refused_with_a_message(mine: Certificate) -> None:
    client = holder_client(mine)

    response = client.post("/holder/shares/", {"certificates": [mine.pk], "days": 0, "id_display": "masked"})

    assert response.status_code == 400 and not ShareLink.objects.exists()
    assert "field-error" in response.content.decode()

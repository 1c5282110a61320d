"""Feedback on issuing: the issue form announces that it is busy while the batch is made, and a finished batch page
says only that every PDF is there, with a full bar (no "refreshing" note beside it)."""

import re
from collections.abc import Callable

import pytest
from django.test import Client

from certificates import services
from certificates.models import IssuanceBatch
from tests.factories import FilingFactory, approved_plan, the_member

pytestmark = pytest.mark.django_db


def test_the_issue_form_shows_a_busy_state(login: Callable[..., Client]) -> None:
    filing = FilingFactory(province="gd")
    approved_plan(filing, candidates=2)

    html = login(the_member(filing)).get("/gd/certificates/issue/").content.decode()

    assert 'data-busy="正在颁发证书，请稍候…"' in html


@pytest.mark.parametrize("done", [False, True])
def test_the_batch_page_speaks_of_generating_only_while_it_is(login: Callable[..., Client], done: bool) -> None:
    filing = FilingFactory(province="gd")
    approved_plan(filing, candidates=3)
    batch = services.issue_certificates(filing, acting_user=the_member(filing))
    if done:
        services.render_batch(batch.pk)  # what the pipeline runs after the commit
    assert IssuanceBatch.objects.get(pk=batch.pk).rendered == (3 if done else 0)

    html = login(the_member(filing)).get(f"/gd/certificates/batches/{batch.pk}/").content.decode()

    status = re.search(r'<p id="pdf-progress-text"[^>]*>([^<]*)</p>', html)
    assert status and (status.group(1) == "全部PDF已生成，可以下载。") is done
    assert ('id="pdf-progress-help"' in html) is not done
    assert ('<progress id="pdf-progress-bar" max="3" value="3"' in html) is done
    assert ("生成中" in html) is not done

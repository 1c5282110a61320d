"""The scoring sheet as the expert reads it: each file under the name of its material, no conflict case chosen for
the expert, and a confirmation before the submit that locks the sheet."""

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from portal.models import User
from selection import services
from selection.models import ScoreSheet
from tests.factories import ApplicationFactory, EvidenceFactory, PanelFactory, expert_with_account

pytestmark = pytest.mark.django_db


def _sheet_with_files() -> ScoreSheet:
    panel = PanelFactory()
    application = ApplicationFactory(city_scoring=True, call=panel.call)
    for key in ("registration_certificate", "application_form", "venue_proof"):
        EvidenceFactory(application=application, checklist_key=key, original_name="evidence.pdf")
    return services.assign_expert(panel, application, expert_with_account(), acting_user=panel.call.created_by)


def _page(login: Callable[[User], Client], sheet: ScoreSheet) -> str:
    url = reverse("selection:sheet", kwargs={"province": "gd", "pk": sheet.pk})
    return login(sheet.expert.user).get(url).content.decode()


def test_the_materials_are_named_by_what_they_are_and_the_file_name_comes_second(
    login: Callable[[User], Client],
) -> None:
    html = _page(login, _sheet_with_files())

    materials = re.search(r'<ul class="materials" id="sheet-materials">(.*?)</ul>', html, re.S)
    assert materials
    links = re.findall(r'<a href="[^"]+">([^<]+)</a> <span class="muted file-name">([^<]+)</span>', materials.group(1))
    assert links == [
        ("广东省社会培训评价组织备案申请表（附件2）", "evidence.pdf"),
        ("营业执照或法人登记证书", "evidence.pdf"),
        ("场所产权或使用证明及平面图", "evidence.pdf"),
    ]


def test_no_conflict_case_is_chosen_for_the_expert(login: Callable[[User], Client]) -> None:
    html = _page(login, _sheet_with_files())

    select = re.search(r'<select name="kind"[^>]*>(.*?)</select>', html, re.S)
    assert select
    assert re.findall(r"<option[^>]*selected[^>]*>([^<]*)</option>", select.group(1)) == ["请选择回避情形"]


def test_a_blank_conflict_case_is_refused_and_the_sheet_stays(login: Callable[[User], Client]) -> None:
    sheet = _sheet_with_files()
    url = reverse("selection:sheet_conflict", kwargs={"province": "gd", "pk": sheet.pk})

    login(sheet.expert.user).post(url, {"kind": "", "reason": ""})

    sheet.refresh_from_db()
    assert sheet.state == "assigned"


def test_the_locking_submit_asks_first_with_and_without_javascript(login: Callable[[User], Client]) -> None:
    html = _page(login, _sheet_with_files())

    submit = re.search(r'<button type="submit" name="action" value="submit"[^>]*>', html)
    assert submit and 'data-confirm="提交后评估表即锁定，不能再修改。确定提交吗？"' in submit.group(0)
    assert re.search(r'<noscript><label class="confirm-check"><input type="checkbox" name="confirmed" required>', html)
    save = re.search(r'<button type="submit" name="action" value="save"[^>]*>', html)
    assert save and "formnovalidate" in save.group(0)

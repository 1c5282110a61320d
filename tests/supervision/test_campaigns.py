"""Inspection campaigns: the commitment before the draw, the draw from the typed-in public numbers (once),
exclusions and weights, replacement by the next pick, and closing; the public page's verifier reproduces the draw."""

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from portal.errors import DomainError, NotPermitted
from portal.models import AuditEvent
from supervision import services
from supervision.models import (
    Campaign,
    CampaignState,
    DrawPick,
    Inspection,
    InspectionState,
    InspectorConflict,
    RankingRow,
)
from supervision.services import draw
from tests.factories import city_officer
from tests.supervision.inspection_helpers import SOURCES, TODAY, campaign_of, drawn, world

pytestmark = pytest.mark.django_db


def test_the_commitment_publishes_sorted_lists_with_their_sha256_before_any_draw() -> None:
    w = world(organizations=4, inspectors=3)
    campaign = services.publish_commitment(campaign_of(w), acting_user=w.officer, today=TODAY)
    c = campaign.commitment
    assert campaign.state == CampaignState.COMMITTED
    assert c["frame"] == sorted(c["frame"]) and len(c["frame"]) == 4
    assert c["pool"] == sorted(c["pool"]) and len(c["pool"]) == 3
    assert c["frame_sha256"] == draw.list_sha256(c["frame"])
    assert c["random_source"].startswith("中国福利彩票")
    assert not campaign.picks.exists()
    assert AuditEvent.objects.filter(action="campaign_committed", object_id=str(campaign.pk)).count() == 1
    with pytest.raises(DomainError) as err:
        services.publish_commitment(campaign, acting_user=w.officer, today=TODAY)
    assert err.value.code == "campaign_state"


def test_the_random_source_must_lie_in_the_future() -> None:
    w = world(organizations=1, inspectors=1)
    with pytest.raises(DomainError) as err:
        campaign_of(w, random_source_date=TODAY - dt.timedelta(days=1))
    assert err.value.code == "campaign_invalid"


def test_the_draw_waits_for_the_source_and_happens_once() -> None:
    w = world()
    campaign = services.publish_commitment(campaign_of(w), acting_user=w.officer, today=TODAY)
    with pytest.raises(DomainError) as err:
        services.draw_campaign(campaign, acting_user=w.officer, sources=SOURCES, today=TODAY)
    assert err.value.code == "source_not_yet"
    campaign = services.draw_campaign(campaign, acting_user=w.officer, sources=SOURCES,
                                      today=TODAY + dt.timedelta(days=2))
    assert campaign.key == "9319./2.5.8.10.12./9.18.26.34.41.45./"
    assert Inspection.objects.filter(campaign=campaign).count() == 2
    assert DrawPick.objects.filter(campaign=campaign).count() == 2 + 2 * 2
    assert Inspection.objects.filter(campaign=campaign).first().checklist.count() > 7
    with pytest.raises(DomainError) as err:
        services.draw_campaign(campaign, acting_user=w.officer, sources=[[1]], today=TODAY + dt.timedelta(days=2))
    assert err.value.code == "campaign_state"


def test_the_picks_are_the_rfc_sequence_over_the_committed_frame() -> None:
    w = world(organizations=5)
    campaign = drawn(w)
    expected = draw.select(draw.make_key(SOURCES), campaign.commitment["frame"], 2)
    stored = list(campaign.picks.filter(sequence="organizations").order_by("index"))
    assert [(p.index, p.digest, p.member) for p in stored] == [(e.index, e.digest, e.member) for e in expected]
    labels = [p.member for p in stored]
    assert [f"{i.institution.credit_code} {i.institution.name}"
            for i in campaign.inspections.order_by("draw_order")] == labels


def test_exclusions_recent_inspection_conflict_and_own_city() -> None:
    w = world(organizations=3, inspectors=3)
    first = drawn(w, organizations_to_draw=1)
    recent = first.inspections.get().institution
    other = next(f.institution for f in w.filings if f.institution != recent)
    services.declare_conflict(other.province, acting_user=w.inspectors[0], institution=other, reason="曾任职")
    near = w.inspectors[1].memberships.get()
    near.city = other.city
    near.save()
    second = services.publish_commitment(campaign_of(w, title="第二次"), acting_user=w.officer, today=TODAY)
    c = second.commitment
    assert all(recent.name not in label for label in c["frame"])
    assert [e["organization"] for e in c["excluded"]] == [f"{recent.credit_code} {recent.name}"]
    rules = {(r["inspector"], r["rule"]) for r in c["ineligible_rules"] if other.name in r["organization"]}
    assert rules == {(services.inspector_code(w.inspectors[0].pk), "conflict"),
                     (services.inspector_code(w.inspectors[1].pk), "own_city")}
    campaign = services.draw_campaign(second, acting_user=w.officer, sources=SOURCES, today=TODAY + dt.timedelta(days=2))
    inspection = campaign.inspections.get(institution=other)
    assert {a.inspector_id for a in inspection.assignments.all()} == {w.inspectors[2].pk}


def test_weights_expand_the_frame_by_the_risk_score() -> None:
    w = world(organizations=2, inspectors=1)
    risky = w.filings[0].institution
    from supervision.models import Ranking

    ranking = Ranking.objects.create(province=risky.province, group="6-18", period_kind="year", period="2026",
                                     period_start=dt.date(2026, 1, 1), formula=services.current_formula(risky.province),
                                     min_n=30, created_by=w.officer)
    RankingRow.objects.create(ranking=ranking, institution=risky, sat=50, passed=49, risk_score=3.7, signals={})
    c = services.publish_commitment(campaign_of(w, weighted=True), acting_user=w.officer, today=TODAY).commitment
    label = f"{risky.credit_code} {risky.name}"
    assert c["frame"].count(label) == 4  # 1 + ⌊3.7⌋
    assert len(c["frame"]) == 5
    assert "风险评分" in c["weight_formula"]


def test_a_replacement_is_the_next_pick_of_the_same_sequence_with_its_reason() -> None:
    w = world(organizations=3, inspectors=5)
    campaign = drawn(w)
    inspection = campaign.inspections.order_by("draw_order").first()
    gone = inspection.assignments.order_by("pick__index").first()
    last = campaign.picks.order_by("-index").first().index
    new = services.replace_inspector(gone, acting_user=w.officer, reason="出差，无法参加")
    assert new is not None and new.pick.index == last + 1
    assert new.inspector_id != gone.inspector_id
    gone.refresh_from_db()
    assert gone.replaced_reason == "出差，无法参加" and gone.replacement_number == 1
    replay = draw.draw_campaign(services.published_data(campaign))
    assert replay.picks[-1].member == new.code
    with pytest.raises(DomainError):
        services.replace_inspector(gone, acting_user=w.officer, reason="再次")


def test_only_officers_run_a_campaign_and_a_city_officer_only_in_their_city() -> None:
    w = world(organizations=1, inspectors=1)
    with pytest.raises(NotPermitted):
        campaign_of(type(w)(w.inspectors[0], w.filings, w.inspectors))
    officer = city_officer("gd")
    with pytest.raises(NotPermitted):
        services.create_campaign(w.filings[0].province, acting_user=officer, today=TODAY, title="x",
                                 occupation_group="", organizations_to_draw=1, inspectors_per_organization=1,
                                 exclude_months=1, weighted=False, random_source="x", random_source_date=TODAY,
                                 inspect_from=TODAY, inspect_until=TODAY)


def test_closing_waits_for_every_inspection_and_the_sweep_closes_once() -> None:
    w = world(organizations=1, inspectors=1)
    campaign = drawn(w, organizations_to_draw=1, inspectors_per_organization=1)
    with pytest.raises(DomainError) as err:
        services.close_campaign(campaign, acting_user=w.officer)
    assert err.value.code == "inspections_open"
    inspection = campaign.inspections.get()
    services.complete_inspection(inspection, acting_user=inspection.assignments.get().inspector, report="未发现问题")
    late = campaign.inspect_until + dt.timedelta(days=1)
    assert services.close_due_campaigns(campaign.inspect_until).acted == 0
    assert services.close_due_campaigns(late).acted == 1
    assert services.close_due_campaigns(late).acted == 0
    assert Campaign.objects.get(pk=campaign.pk).state == CampaignState.CLOSED
    assert AuditEvent.objects.filter(action="campaign_closed", object_id=str(campaign.pk)).count() == 1


def _published_values(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', html)
    assert match, element_id
    return match.group(1).strip()


def test_the_verifier_downloaded_from_the_public_page_reproduces_the_draw(tmp_path: Path) -> None:
    w = world(organizations=6, inspectors=5)
    campaign = drawn(w, organizations_to_draw=3)
    inspection = campaign.inspections.order_by("draw_order").first()
    services.replace_inspector(inspection.assignments.order_by("pick__index").first(), acting_user=w.officer,
                               reason="生病")
    public = Client()
    page = public.get(f"/inspections/gd/{campaign.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    links = dict(re.findall(r'id="(download-data|download-verifier)" href="([^"]+)"', html))
    (tmp_path / "verify_draw.py").write_bytes(public.get(links["download-verifier"]).content)
    (tmp_path / "draw.json").write_bytes(public.get(links["download-data"]).content)
    out = subprocess.run([sys.executable, "-I", "verify_draw.py", "draw.json"], cwd=tmp_path, capture_output=True,
                         check=True, text=True, timeout=30)
    result = json.loads(out.stdout)
    assert result["key"] == _published_values(html, "draw-key")
    assert result["frame_sha256"] == _published_values(html, "frame-sha")
    portal = [(p.index, p.digest, p.member) for p in campaign.picks.order_by("index")]
    assert [(p["index"], p["digest"], p["member"]) for p in result["picks"]] == portal
    for pick in campaign.picks.all():
        assert pick.digest in html
    assert len(result["organizations"]) == 3


def test_a_draft_is_not_public_and_inspectors_appear_by_code_only() -> None:
    w = world(organizations=2, inspectors=2)
    draft = campaign_of(w)
    assert Client().get(f"/inspections/gd/{draft.pk}/").status_code == 404
    campaign = drawn(w, title="公开")
    html = Client().get(f"/inspections/gd/{campaign.pk}/").content.decode()
    assert services.inspector_code(w.inspectors[0].pk) in html
    assert "督导员0" not in html and w.inspectors[0].username not in html
    assert InspectorConflict.objects.count() == 0
    assert InspectionState.SCHEDULED in campaign.inspections.values_list("state", flat=True)

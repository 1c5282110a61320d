"""Public pages of inspection campaigns (no login): the list, and one campaign — its commitment before the draw,
then the public numbers, the key, every pick with its hash and the result, the draw's data and the verifier to
download, and once closed the inspected organizations with their outcomes (never an inspector's personal data)."""

import inspect
import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from portal.models import Province
from portal.roles import PublicView

from .. import selectors, services
from ..models import Campaign, CampaignState
from ..services import draw


def _public_campaign(province: str, pk: int) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("province", "city"), province__slug=province, pk=pk)
    if not campaign.is_public:
        raise Http404
    return campaign


class PublicCampaignListView(PublicView):
    def get(self, request: HttpRequest, province: str) -> HttpResponse:
        region = get_object_or_404(Province, slug=province)
        campaigns = Campaign.objects.filter(province=region).exclude(state=CampaignState.DRAFT).select_related("city")
        return render(request, "supervision/inspections/public_list.html",
                      {"region": region, "campaigns": campaigns[:200]})


class PublicCampaignView(PublicView):
    def get(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        campaign = _public_campaign(province, pk)
        drawn = campaign.state in (CampaignState.DRAWN, CampaignState.CLOSED)
        commitment = campaign.commitment
        return render(request, "supervision/inspections/public_campaign.html", {
            "campaign": campaign, "region": campaign.province, "commitment": commitment, "drawn": drawn,
            "picks": selectors.campaign_picks(campaign) if drawn else [],
            "inspections": campaign.inspections.select_related("institution").prefetch_related("assignments")
            if drawn else [],
            "outcomes": selectors.campaign_outcomes(campaign) if campaign.state == CampaignState.CLOSED else [],
            "ineligible_rules": commitment.get("ineligible_rules", []),
            "replacements": services.published_data(campaign)["replacements"] if drawn else []})


class DrawDataView(PublicView):
    """draw.json: exactly the verifier's input — the published commitment, the public numbers, the replacements."""

    def get(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        campaign = _public_campaign(province, pk)
        if campaign.state not in (CampaignState.DRAWN, CampaignState.CLOSED):
            raise Http404
        body = json.dumps(services.published_data(campaign), ensure_ascii=False, indent=1)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="draw-{campaign.pk}.json"'
        return response


class VerifierView(PublicView):
    """verify_draw.py: the portal's own draw module, a single standard-library Python file; under a campaign's URL,
    so a campaign that is not public in that province is a 404, as its page and its data are."""

    def get(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        _public_campaign(province, pk)
        response = HttpResponse(inspect.getsource(draw), content_type="text/x-python; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="verify_draw.py"'
        return response

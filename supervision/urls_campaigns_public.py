"""Public pages of inspection campaigns (no login), included from portal/urls.py under /inspections/<province>/."""

from django.urls import path

from .views import public_campaigns

urlpatterns = [
    path("", public_campaigns.PublicCampaignListView.as_view(), name="public_campaigns"),
    path("<int:pk>/", public_campaigns.PublicCampaignView.as_view(), name="public_campaign"),
    path("<int:pk>/draw.json", public_campaigns.DrawDataView.as_view(), name="public_campaign_data"),
    path("<int:pk>/verify_draw.py", public_campaigns.VerifierView.as_view(), name="public_campaign_verifier"),
]

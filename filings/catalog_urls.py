"""Public URLs of filings, outside any login: the catalog of filed organizations at /catalog/<province>/."""

from django.urls import path

from .views import public

urlpatterns = [
    path("", public.CatalogView.as_view(), name="catalog"),
]

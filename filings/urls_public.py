"""Public URLs of filings, outside any login: the catalog of filed organizations at /catalog/<province>/."""

from django.urls import path

from . import views_filing

urlpatterns = [
    path("", views_filing.CatalogView.as_view(), name="catalog"),
]

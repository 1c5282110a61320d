"""Pages anyone may open: registering an institution, and the public catalog of filed organizations."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from portal import catalog as catalog_notes
from portal.errors import DomainError
from portal.models import Province
from portal.roles import PublicView

from .. import selectors, services
from ..forms import (
    CatalogSearchForm,
    RegistrationForm,
)

CATALOG_PAGE_SIZE = 20

class RegisterView(PublicView):
    """An applicant registers an account and its institution in a province."""

    def get_province(self, slug: str) -> Province:
        return get_object_or_404(Province, slug=slug)

    def get(self, request: HttpRequest, province: str) -> HttpResponse:
        p = self.get_province(province)
        form = RegistrationForm(province=p, pack=selectors.pack_for(p))
        return render(request, "filings/register.html", {"form": form, "register_province": p})

    def post(self, request: HttpRequest, province: str) -> HttpResponse:
        p = self.get_province(province)
        form = RegistrationForm(request.POST, province=p, pack=selectors.pack_for(p))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.register_institution(
                    p, username=data["username"], password=data["password1"], email=data["email"],
                    mobile=data["mobile"], display_name=data["display_name"],
                    institution_data={k: data[k] for k in services.INSTITUTION_FIELDS},
                )
            except DomainError as exc:
                field = "credit_code" if exc.code.startswith("uscc") else (
                    "username" if exc.code == "username_taken" else "mobile" if exc.code == "mobile_taken" else None)
                form.add_error(field, str(exc))
            else:
                messages.success(request, _("注册成功，请登录。"))
                return redirect("login")
        return render(request, "filings/register.html", {"form": form, "register_province": p})


class CatalogView(PublicView):
    """评价机构目录 — the published filings of a province, for anyone; status shown, nothing silently removed."""

    def get(self, request: HttpRequest, province: str) -> HttpResponse:
        p = get_object_or_404(Province, slug=province)
        pack = selectors.pack_for(p)
        categories = pack.category_choices()
        form = CatalogSearchForm(request.GET or None, province=p, categories=categories)
        qs = selectors.catalog(p)
        if form.is_valid():
            qs = selectors.search_catalog(qs, **{k: v or "" for k, v in form.cleaned_data.items()})
        page = Paginator(qs, CATALOG_PAGE_SIZE).get_page(request.GET.get("page"))
        notes = catalog_notes.notes_for(p, [f.institution_id for f in page])  # e.g. supervision's ranking bands
        for f in page:
            setattr(f, "catalog_notes", notes.get(f.institution_id, []))  # noqa: B010 - read by the row template
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "filings/catalog.html", {
            "catalog_province": p, "form": form, "page_obj": page, "is_paginated": page.has_other_pages(),
            "querystring": query.urlencode(), "category_labels": dict(categories),
            "shows_codes": pack.settings.assigns_institution_code,
        })

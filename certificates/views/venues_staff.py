"""The organization's exam venues and staff pages."""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from portal.errors import DomainError
from portal.models import Occupation
from portal.roles import ProvinceView

from .. import services
from ..access import scope_staff, scope_venues
from ..forms.exams import StaffEditForm, StaffForm, VenueForm
from ._common import ORGANIZATION, _act, _live_filing


def _filed_occupations(access: Any) -> QuerySet[Occupation]:
    """The occupations of the organization's live filing: those its staff may be qualified for."""
    filing = _live_filing(access)
    if filing is None:
        return Occupation.objects.none()
    return Occupation.objects.filter(pk__in=filing.occupations.values("occupation_id"))


class VenueListView(ProvinceView, TemplateView):
    allowed_roles = ORGANIZATION
    template_name = "certificates/venues.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(venues=scope_venues(self.access).select_related("city"),
                       form=kwargs.get("form") or VenueForm(province=self.province))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = VenueForm(request.POST, province=self.province)
        filing = _live_filing(self.access)
        if not form.is_valid() or filing is None:
            if filing is None:
                form.add_error(None, _("本机构尚无有效备案。"))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        d = form.cleaned_data
        return _act(request, lambda: services.create_venue(filing.institution, acting_user=self.user,
                                                           name=d["name"], address=d["address"], city=d["city"]),
                    _("已添加考核场所。"), reverse("exams:venues", kwargs={"province": self.province.slug}))


class StaffListView(ProvinceView, TemplateView):
    allowed_roles = ORGANIZATION
    template_name = "certificates/staff.html"

    def occupations(self) -> QuerySet[Occupation]:
        return _filed_occupations(self.access)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(staff=scope_staff(self.access).prefetch_related("qualifications__occupation"),
                       form=kwargs.get("form") or StaffForm(occupations=self.occupations()))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = StaffForm(request.POST, occupations=self.occupations())
        filing = _live_filing(self.access)
        if not form.is_valid() or filing is None:
            if filing is None:
                form.add_error(None, _("本机构尚无有效备案。"))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        d = form.cleaned_data
        qualifications = []
        if d["occupation"] is not None and d["levels"]:
            qualifications = [services.Qualification(d["occupation"], tuple(int(x) for x in d["levels"]))]
        try:
            services.create_staff(filing.institution, acting_user=self.user, name=d["name"],
                                  id_number=d["id_number"], duty=d["duty"],
                                  certificate_number=d["certificate_number"], qualifications=qualifications)
        except DomainError as exc:
            form.add_error(None, str(exc))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, _("已添加考务人员%(name)s。") % {"name": d["name"]})
        return redirect(reverse("exams:staff", kwargs={"province": self.province.slug}))


class StaffEditView(ProvinceView, TemplateView):
    """Edit one person of the organization's exam staff (name, certificate, on duty, qualifications)."""

    allowed_roles = ORGANIZATION
    template_name = "certificates/staff_edit.html"

    def staff(self) -> Any:
        return get_object_or_404(scope_staff(self.access).prefetch_related("qualifications__occupation"),
                                 pk=self.kwargs["pk"])

    def form(self, data: Any, staff: Any) -> StaffEditForm:
        first = staff.qualifications.order_by("occupation__code").first()
        initial = {"name": staff.name, "certificate_number": staff.certificate_number, "is_active": staff.is_active,
                   "occupation": first.occupation_id if first else None,
                   "levels": [str(x) for x in first.levels] if first else []}
        return StaffEditForm(data, initial=initial, occupations=_filed_occupations(self.access))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        staff = kwargs.get("staff") or self.staff()
        context.update(staff=staff, form=kwargs.get("form") or self.form(None, staff))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        staff = self.staff()
        form = self.form(request.POST, staff)
        if form.is_valid():
            d = form.cleaned_data
            qualification = (services.Qualification(d["occupation"], tuple(int(x) for x in d["levels"]))
                             if d["occupation"] is not None else None)
            try:
                services.update_staff(staff, acting_user=self.user, name=d["name"], is_active=d["is_active"],
                                      certificate_number=d["certificate_number"], qualification=qualification)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("已保存考务人员%(name)s。") % {"name": d["name"]})
                return redirect(reverse("exams:staff", kwargs={"province": self.province.slug}))
        return self.render_to_response(self.get_context_data(staff=staff, form=form), status=400)

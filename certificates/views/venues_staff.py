"""The organization's exam venues and staff pages."""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from portal.errors import DomainError
from portal.models import Occupation
from portal.roles import ProvinceView

from .. import services
from ..access import scope_staff, scope_venues
from ..forms.exams import StaffForm, VenueForm
from ._common import ORGANIZATION, _act, _live_filing


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
        filing = _live_filing(self.access)
        if filing is None:
            return Occupation.objects.none()
        return Occupation.objects.filter(pk__in=filing.occupations.values("occupation_id"))

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

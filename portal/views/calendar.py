"""The working-day calendar: provincial officers see every year and enter the next one."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from .. import workdays
from ..errors import DomainError
from ..forms import CalendarRangeForm, CalendarYearForm
from ..models import CalendarDay, CalendarYear, DayKind, Role
from ..roles import ProvinceView


class CalendarView(ProvinceView, TemplateView):
    allowed_roles = (Role.PROVINCIAL_OFFICER,)
    template_name = "portal/calendar.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["years"] = CalendarYear.objects.all()
        context["year_form"] = kwargs.get("year_form") or CalendarYearForm()
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = CalendarYearForm(request.POST)
        if form.is_valid():
            try:
                workdays.start_year(
                    form.cleaned_data["year"], source=form.cleaned_data["source"],
                    actor=self.user, province=self.province,
                )
            except DomainError as exc:
                form.add_error("year", str(exc))
            else:
                messages.success(request, _("已新建%(year)d年日历，请录入节假日和调休。") % form.cleaned_data)
                return redirect("calendar_year", province=self.province.slug, year=form.cleaned_data["year"])
        return self.render_to_response(self.get_context_data(year_form=form))


class CalendarYearView(ProvinceView, TemplateView):
    allowed_roles = (Role.PROVINCIAL_OFFICER,)
    template_name = "portal/calendar_year.html"

    def get_year(self) -> CalendarYear:
        calendar_year = CalendarYear.objects.filter(year=self.kwargs["year"]).first()
        if calendar_year is None:
            raise Http404
        return calendar_year

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        calendar_year = self.get_year()
        context["calendar_year"] = calendar_year
        context["special_days"] = CalendarDay.objects.filter(date__year=calendar_year.year).exclude(
            kind__in=[DayKind.WORKDAY, DayKind.WEEKEND]
        )
        context["working_day_count"] = CalendarDay.objects.filter(
            date__year=calendar_year.year, is_working_day=True
        ).count()
        context["range_form"] = kwargs.get("range_form") or CalendarRangeForm(year=calendar_year.year)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        calendar_year = self.get_year()
        actor = self.user
        try:
            if "publish" in request.POST:
                workdays.publish_year(calendar_year.year, actor=actor, province=self.province)
                messages.success(request, _("%(year)d年日历已发布。") % {"year": calendar_year.year})
                return redirect("calendar_year", province=self.province.slug, year=calendar_year.year)
            form = CalendarRangeForm(request.POST, year=calendar_year.year)
            if form.is_valid():
                count = workdays.mark_days(
                    calendar_year.year, start=form.cleaned_data["start"], end=form.cleaned_data["end"],
                    kind=form.cleaned_data["kind"], name=form.cleaned_data["name"],
                    actor=actor, province=self.province,
                )
                messages.success(request, _("已更新%(count)d天。") % {"count": count})
                return redirect("calendar_year", province=self.province.slug, year=calendar_year.year)
        except DomainError as exc:
            messages.error(request, str(exc))
            return redirect("calendar_year", province=self.province.slug, year=calendar_year.year)
        return self.render_to_response(self.get_context_data(range_form=form))

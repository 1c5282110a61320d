"""Forms of the exit and suspension pages: they parse input; the services decide (dates, roles, states)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from filings.models import ExitKind

from .models import ExitState, SuspensionState


class DateInput(forms.DateInput):
    input_type = "date"


class VoluntaryExitForm(forms.Form):
    exit_on = forms.DateField(label=_("申请退出日期"), widget=DateInput)
    reason = forms.CharField(label=_("退出理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class OrderExitForm(forms.Form):
    reason = forms.CharField(label=_("责令退出的理由（严重违法违规行为）"), widget=forms.Textarea(attrs={"rows": 4}),
                             max_length=4000)
    evidence = forms.FileField(label=_("证据材料"), help_text=_("PDF、JPG、PNG、DOCX 或 XLSX"))
    proposal_type = forms.CharField(label=_("提议来源类型（可选）"), required=False, max_length=100,
                                    help_text=_("如检查发现的严重问题或经查实的投诉"))
    proposal_id = forms.CharField(label=_("提议来源编号（可选）"), required=False, max_length=40)


class WrapUpTaskForm(forms.Form):
    evidence = forms.FileField(label=_("佐证材料"))
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(label=_("说明（可选）"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=2000)


class SuspendForm(forms.Form):
    ends_on = forms.DateField(label=_("暂停截止日（含当日）"), widget=DateInput)
    reason = forms.CharField(label=_("暂停理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                             help_text=_("如：督导检查发现问题，限期整改"))


class ExitFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *ExitState.choices], required=False)
    kind = forms.ChoiceField(label=_("退出类型"), choices=[("", _("全部")), *ExitKind.choices], required=False)
    overdue = forms.BooleanField(label=_("只看收尾逾期"), required=False)


class SuspensionFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *SuspensionState.choices], required=False)

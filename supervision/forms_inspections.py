"""Forms of the inspection pages: a campaign, its public numbers, replacing an inspector, a conflict, scheduling,
the checklist, a file, a finding, the report, a rectification answer and its verification, and list filters."""

from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy as _

from certificates.models import ExamPlan
from portal.models import City, Institution

from .models import (
    CampaignState,
    ChecklistItem,
    ChecklistResult,
    InspectionState,
    OrderState,
    Severity,
)

DATE = forms.DateInput(attrs={"type": "date"})


def _limit(form: forms.Form, name: str, queryset: Any) -> None:
    """Narrow a choice field to the objects the caller may pick."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("任务名称"), max_length=200)
    city = forms.ModelChoiceField(label=_("抽查范围（地市）"), queryset=City.objects.none(), required=False,
                                  empty_label=_("全省"))
    occupation_group = forms.RegexField(label=_("职业分组（中类）"), regex=r"^\d{1,2}-\d{2}$", required=False,
                                        help_text=_("职业编码的前两段，如 6-18；留空为全部职业"))
    organizations_to_draw = forms.IntegerField(label=_("抽取机构数"), min_value=1, max_value=200, initial=3)
    inspectors_per_organization = forms.IntegerField(label=_("每家机构检查人员数"), min_value=1, max_value=5,
                                                     initial=2)
    exclude_months = forms.IntegerField(label=_("近期已检查机构排除（月）"), min_value=0, max_value=60, initial=12)
    weighted = forms.BooleanField(label=_("按风险评分加权（风险越高，被抽中的机会越大）"), required=False)
    random_source = forms.CharField(label=_("公开随机数来源"), max_length=200,
                                    help_text=_("如：中国福利彩票双色球 2026年12月10日开奖号码"))
    random_source_date = forms.DateField(label=_("随机数产生日期"), widget=DATE)
    inspect_from = forms.DateField(label=_("检查开始日期"), widget=DATE)
    inspect_until = forms.DateField(label=_("检查截止日期"), widget=DATE)

    def __init__(self, *args: Any, cities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "city", cities)


class SourcesForm(forms.Form):
    sources = forms.CharField(label=_("公开随机数"), widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("每行一组（如先录红球，再录蓝球），数字之间用空格分隔"))


class ReplaceForm(forms.Form):
    assignment = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("替换原因"), max_length=300)


class ConflictForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("评价机构"), queryset=Institution.objects.none())
    reason = forms.CharField(label=_("冲突情形"), max_length=300, help_text=_("如：近三年曾在该机构任职"))

    def __init__(self, *args: Any, institutions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "institution", institutions)


class ScheduleForm(forms.Form):
    scheduled_on = forms.DateField(label=_("检查日期"), widget=DATE)
    scope_session = forms.BooleanField(label=_("考核现场"), required=False)
    scope_site = forms.BooleanField(label=_("场所设施"), required=False, initial=True)
    scope_documents = forms.BooleanField(label=_("档案资料"), required=False, initial=True)
    exam_plan = forms.ModelChoiceField(label=_("检查的考核计划"), queryset=ExamPlan.objects.none(), required=False)

    def __init__(self, *args: Any, plans: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "exam_plan", plans)


class ChecklistForm(forms.Form):
    """One result and one note per checklist item (fields item_<id> and note_<id>)."""

    def __init__(self, *args: Any, items: list[ChecklistItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.ChoiceField(label=item.text, choices=ChecklistResult.choices,
                                                               initial=item.result)
            self.fields[f"note_{item.pk}"] = forms.CharField(label=_("说明"), required=False, initial=item.note,
                                                             max_length=1000)

    def results(self) -> dict[int, tuple[str, str]]:
        return {i.pk: (self.cleaned_data[f"item_{i.pk}"], self.cleaned_data[f"note_{i.pk}"]) for i in self.items}

    def rows(self) -> list[tuple[ChecklistItem, Any, Any]]:
        return [(i, self[f"item_{i.pk}"], self[f"note_{i.pk}"]) for i in self.items]


class ChecklistItemField(forms.ModelChoiceField):
    """A checklist item by its wording in the reader's language (the stored record keeps the Chinese it was drawn with)."""

    def label_from_instance(self, obj: Any) -> str:
        return gettext(obj.text)[:60]


class FileForm(forms.Form):
    file = forms.FileField(label=_("照片或文件"), help_text=_("PDF、JPG、PNG、DOCX、XLSX"))
    item = ChecklistItemField(label=_("对应检查项"), queryset=ChecklistItem.objects.none(), required=False,
                              empty_label=_("整体"))

    def __init__(self, *args: Any, items: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "item", items)


class FindingForm(forms.Form):
    severity = forms.ChoiceField(label=_("严重程度"), choices=Severity.choices)
    text = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    item = ChecklistItemField(label=_("对应检查项"), queryset=ChecklistItem.objects.none(), required=False,
                              empty_label=_("无"))
    proposes_suspension = forms.BooleanField(label=_("建议暂停备案（仅严重问题）"), required=False)
    suspension_reason = forms.CharField(label=_("暂停建议理由"), required=False, max_length=2000,
                                        widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, items: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "item", items)


class ReportForm(forms.Form):
    report = forms.CharField(label=_("检查结论"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    evidence = forms.FileField(label=_("证明材料"), required=False, help_text=_("PDF、JPG、PNG、DOCX、XLSX"))


class VerifyForm(forms.Form):
    decision = forms.ChoiceField(label=_("验证结果"), choices=[("accept", _("验证通过，整改销号")),
                                                              ("reject", _("退回整改"))],
                                 widget=forms.RadioSelect)
    reason = forms.CharField(label=_("验证意见"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}), help_text=_("退回整改时必填"))


class CampaignFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *CampaignState.choices], required=False)


class InspectionFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *InspectionState.choices], required=False)
    mine = forms.BooleanField(label=_("只看我参加的"), required=False)


class OrderFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *OrderState.choices], required=False)
    overdue = forms.BooleanField(label=_("只看逾期"), required=False)

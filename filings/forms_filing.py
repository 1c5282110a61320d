"""Forms of cultivation, filing, added occupations and the public catalog."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import City, Occupation, Province, SkillLevel, WorkType

from .models import CultivationState, FilingStatus


class CommitmentForm(forms.Form):
    signer_name = forms.CharField(label=_("签署人姓名"), max_length=50)
    signer_title = forms.CharField(label=_("签署人职务"), max_length=50, initial=_("法定代表人"))
    confirm = forms.BooleanField(label=_("本机构已阅读并同意以上承诺"))


class QuestionBankForm(forms.Form):
    items = forms.FileField(label=_("试题（题库）文件"), help_text=_("PDF、DOCX、XLSX 等，单个文件不超过20MB"))
    documents = forms.FileField(label=_("开发文档（可选）"), required=False,
                                help_text=_("试题开发说明、细目表、审核记录等"))
    note = forms.CharField(label=_("提交说明"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("评审结论"), choices=[("accept", _("通过")), ("return", _("退回修改"))],
                                 widget=forms.RadioSelect)
    reasons = forms.CharField(label=_("评审意见（退回时必填）"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class TrainingForm(forms.Form):
    attended_on = forms.DateField(label=_("参训日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("备注"), required=False, max_length=1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"attended_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class FileDecisionForm(forms.Form):
    occupations = forms.TypedMultipleChoiceField(label=_("本次备案的职业（已通过验收）"), coerce=int,
                                                 widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=_("说明（如领导小组审定文号）"), required=False, max_length=1000)

    def __init__(self, *args: Any, accepted: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occupations"].choices = [(o.pk, f"{o.occupation.code} {o}（{o.level_labels()}）")  # type: ignore[attr-defined]
                                              for o in accepted]
        self.fields["occupations"].initial = [o.pk for o in accepted]


class AdditionForm(forms.Form):
    occupation = forms.ModelChoiceField(label=_("新增职业"), queryset=Occupation.objects.none())
    work_type = forms.ModelChoiceField(label=_("工种（如有）"), queryset=WorkType.objects.none(), required=False)
    levels = forms.TypedMultipleChoiceField(label=_("等级"), choices=SkillLevel.choices, coerce=int,
                                            widget=forms.CheckboxSelectMultiple)
    has_completed_question_bank = forms.BooleanField(label=_("本机构已自主完成至少一个职业试题审核备案"))
    operating_normally = forms.BooleanField(label=_("本机构已正常开展职业技能等级认定工作"))
    note = forms.CharField(label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        skill = Occupation.objects.skill_type()
        self.fields["occupation"].queryset = skill  # type: ignore[attr-defined]
        self.fields["work_type"].queryset = WorkType.objects.filter(  # type: ignore[attr-defined]
            occupation__in=skill).select_related("occupation")
        self.fields["work_type"].label_from_instance = lambda w: f"{w.occupation.name} · {w.name}"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        work_type, occupation = data.get("work_type"), data.get("occupation")
        if work_type is not None and occupation is not None and work_type.occupation_id != occupation.pk:
            self.add_error("work_type", _("所选工种不属于该职业。"))
        return data


class AdditionDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("决定"), choices=[("approve", _("同意新增")), ("refuse", _("不予新增"))],
                                 widget=forms.RadioSelect)
    reason = forms.CharField(label=_("理由（不予新增时必填）"), required=False, max_length=2000)


class CultivationFilterForm(forms.Form):
    q = forms.CharField(label=_("机构名称"), required=False)
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *CultivationState.choices])
    city = forms.ModelChoiceField(label=_("地市"), required=False, queryset=City.objects.none())
    waiting = forms.ChoiceField(label=_("待办"), required=False, choices=[
        ("", _("全部")), ("commitment", _("待签署承诺书")), ("review", _("待评审试题")),
        ("training", _("待登记考务培训")), ("file", _("待作出备案决定")),
    ])

    def __init__(self, *args: Any, province: Province, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = City.objects.filter(province=province)  # type: ignore[attr-defined]


class FilingFilterForm(forms.Form):
    q = forms.CharField(label=_("机构名称、备案编号或机构代码"), required=False)
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *FilingStatus.choices])
    city = forms.ModelChoiceField(label=_("地市"), required=False, queryset=City.objects.none())
    unpublished = forms.BooleanField(label=_("未公布"), required=False)

    def __init__(self, *args: Any, province: Province, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = City.objects.filter(province=province)  # type: ignore[attr-defined]


class CatalogSearchForm(forms.Form):
    q = forms.CharField(label=_("机构名称、备案编号或机构代码"), required=False, max_length=100)
    occupation = forms.CharField(label=_("职业（工种）名称或编码"), required=False, max_length=100)
    city = forms.ChoiceField(label=_("地市"), required=False)
    category = forms.ChoiceField(label=_("机构类别"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *FilingStatus.choices])

    def __init__(self, *args: Any, province: Province, categories: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = [("", _("全部")), *((c.code, c.name) for c in province.cities.all())]  # type: ignore[attr-defined]
        self.fields["category"].choices = [("", _("全部")), *categories]  # type: ignore[attr-defined]

"""Forms of selection: they parse and validate input; the services decide."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TypeVar

from django import forms
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from filings.models import Application
from portal.models import City, Province, User

from .models import ConflictKind, Criterion, Expert, PanelLevel

M = TypeVar("M", bound=Model)


def model_choice(form: forms.Form, name: str, queryset: QuerySet[M]) -> None:
    """Offer `queryset` in the form's model choice field `name` (the choices depend on the caller)."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model choice field")
    field.queryset = queryset


class ApplicationChoiceField(forms.ModelChoiceField[Application]):
    """An application shown by its institution's name."""

    def label_from_instance(self, obj: Application) -> str:
        return obj.institution.name


class ExpertForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    employer = forms.CharField(label=_("工作单位"), max_length=200)
    employer_credit_code = forms.CharField(
        label=_("工作单位统一社会信用代码"), max_length=18, required=False,
        help_text=_("用于识别与申请机构为同一单位的利益冲突"),
    )
    city = forms.ModelChoiceField(label=_("所在地市"), queryset=City.objects.none(), required=False)
    fields_text = forms.CharField(
        label=_("专业领域"), required=False, help_text=_("职业分类大典编码前缀，多个用逗号或空格分隔，如：6-18, 4-04"),
    )
    contact = forms.CharField(label=_("联系方式"), max_length=100, required=False)
    username = forms.CharField(label=_("登录账户（用户名）"), max_length=150, required=False,
                               help_text=_("该账户须已授予本省评审专家角色"))
    is_active = forms.BooleanField(label=_("在库"), required=False, initial=True)

    def __init__(self, *args: Any, province: Province, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "city", City.objects.filter(province=province))

    @classmethod
    def initial_for(cls, expert: Expert) -> dict[str, Any]:
        return {"name": expert.name, "employer": expert.employer, "employer_credit_code": expert.employer_credit_code,
                "city": expert.city, "fields_text": ", ".join(expert.fields), "contact": expert.contact,
                "username": expert.user.username if expert.user else "", "is_active": expert.is_active}

    def clean_username(self) -> User | None:
        username = self.cleaned_data.get("username", "").strip()
        if not username:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("没有用户名为“%(u)s”的账户。") % {"u": username})
        return user

    def field_codes(self) -> list[str]:
        return [f for f in self.cleaned_data.get("fields_text", "").replace("，", ",").replace(",", " ").split() if f]


class RubricForm(forms.Form):
    """The criteria of one category: label, maximum score and description of each."""

    def __init__(self, *args: Any, criteria: Iterable[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"label_{c.pk}"] = forms.CharField(label=_("指标名称"), max_length=100, initial=c.label)
            self.fields[f"max_{c.pk}"] = forms.DecimalField(label=_("分值"), min_value=Decimal("0.01"),
                                                            max_digits=5, decimal_places=2, initial=c.max_score)
            self.fields[f"description_{c.pk}"] = forms.CharField(
                label=_("评分要点"), required=False, initial=c.description, widget=forms.Textarea(attrs={"rows": 2}))

    def rows(self) -> list[tuple[Criterion, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"label_{c.pk}"], self[f"max_{c.pk}"], self[f"description_{c.pk}"]) for c in self.criteria]


class RoundOptionsForm(forms.Form):
    drop_extremes = forms.BooleanField(
        label=_("评估表达到规定份数时去掉一个最高分和一个最低分"), required=False)


class PanelForm(forms.Form):
    level = forms.ChoiceField(label=_("评审层级"), choices=PanelLevel.choices)
    city = forms.ModelChoiceField(label=_("地市"), queryset=City.objects.none(), required=False)

    def __init__(self, *args: Any, cities: QuerySet[City], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "city", cities)


class AssignForm(forms.Form):
    application = ApplicationChoiceField(label=_("申请机构"), queryset=Application.objects.none())
    expert = forms.ModelChoiceField(label=_("专家"), queryset=Expert.objects.none())

    def __init__(self, *args: Any, applications: QuerySet[Application], experts: QuerySet[Expert], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "application", applications)
        model_choice(self, "expert", experts)


class DrawForm(forms.Form):
    application = ApplicationChoiceField(label=_("申请机构"), queryset=Application.objects.none())
    count = forms.IntegerField(label=_("抽取人数"), min_value=1, max_value=50, initial=3)
    seed = forms.IntegerField(label=_("随机种子"), required=False, min_value=0, max_value=2**62,
                              help_text=_("留空则自动生成；填写已有记录的种子和相同候选名单可复现抽取结果"))
    match_fields = forms.BooleanField(label=_("按专业领域筛选"), required=False, initial=True)

    def __init__(self, *args: Any, applications: QuerySet[Application], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "application", applications)


class SheetForm(forms.Form):
    """One score (0..max) and comment per criterion, and an overall comment. Blank scores are allowed in a draft."""

    comment = forms.CharField(label=_("综合评价"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, criteria: Iterable[Criterion], disabled: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"score_{c.pk}"] = forms.DecimalField(
                label=_("%(label)s得分（0–%(max)s）") % {"label": c.label, "max": c.max_points},
                required=False, min_value=Decimal(0), max_value=c.max_score, decimal_places=2, max_digits=5,
                widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": str(c.max_score)}),
            )
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                label=_("%(label)s评语") % {"label": c.label}, required=False,
                widget=forms.Textarea(attrs={"rows": 2}))
        if disabled:
            for field in self.fields.values():
                field.disabled = True

    def rows(self) -> list[tuple[Criterion, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]


class ConflictForm(forms.Form):
    kind = forms.ChoiceField(label=_("回避情形"), choices=[("", _("请选择回避情形")), *ConflictKind.choices])
    reason = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("“同一单位”以外的情形须说明原因"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))


class RecommendationForm(forms.Form):
    application = forms.IntegerField(widget=forms.HiddenInput)
    recommended = forms.TypedChoiceField(
        label=_("推荐意见"), choices=[("1", _("推荐")), ("0", _("不予推荐"))], coerce=lambda v: v == "1",
        widget=forms.RadioSelect)
    reason = forms.CharField(label=_("推荐意见/不予推荐理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("不予推荐必须填写理由"))

    def __init__(self, *args: Any, centre: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if centre:  # the city centre decides itself (Shandong): its words are those of a decision, not a recommendation
            recommended = self.fields["recommended"]
            assert isinstance(recommended, forms.TypedChoiceField)
            recommended.label = _("遴选意见")
            recommended.choices = [("1", _("确定为评价机构")), ("0", _("不予确定"))]
            self.fields["reason"].label = _("意见/不予确定理由")
            self.fields["reason"].help_text = _("不予确定必须填写理由")


class SelectionHelperForm(forms.Form):
    """Pre-ticks the selection checkboxes: the top N of each occupation, or every score at or above X."""

    top_n = forms.IntegerField(label=_("每个职业前N名"), required=False, min_value=1, max_value=100)
    min_score = forms.DecimalField(label=_("得分不低于"), required=False, min_value=Decimal(0),
                                   max_value=Decimal(100), decimal_places=2)


class ApprovalForm(forms.Form):
    meeting_date = forms.DateField(label=_("领导小组会议日期"), widget=forms.DateInput(attrs={"type": "date"}))
    document_number = forms.CharField(label=_("审定文件文号"), max_length=100)
    attachment = forms.FileField(label=_("审定文件"), help_text=_("PDF、JPG、PNG、DOCX 或 XLSX，不超过20MB"))

"""Forms of complaints: the public form and tracking, the officer's steps (forward, request information, decide,
reassign), the organization's answer and the list filters."""

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from portal.models import City, Institution, Occupation

from .models import ComplaintDecision, ComplaintState, ComplaintSubject, HandlingLevel

ATTACHMENT_HELP = _("可选，最多5个：PDF、JPG、PNG、DOCX、XLSX，按文件内容检查格式。")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (Django's documented pattern); each is checked by portal.uploads later."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ComplaintForm(forms.Form):
    """投诉 (public): the subject (an organization of the catalog, an exam it held, or a certificate number), the
    category, what happened, files, and who the complainant is (or anonymity)."""

    subject_kind = forms.ChoiceField(label=_("投诉对象"), choices=ComplaintSubject.choices,
                                     widget=forms.RadioSelect, initial=ComplaintSubject.ORGANIZATION)
    organization = forms.ModelChoiceField(label=_("评价机构"), queryset=Institution.objects.none(), required=False,
                                          empty_label=_("请选择"),
                                          help_text=_("投诉评价机构或其组织的考核时必选；可先在上方按名称搜索。"))
    exam_date = forms.DateField(label=_("考核日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                help_text=_("投诉某次考核时填写。"))
    certificate_number = forms.CharField(label=_("证书编号"), max_length=30, required=False,
                                         help_text=_("投诉某张证书时填写，无需选择机构。"))
    occupation = forms.ModelChoiceField(label=_("所涉职业"), queryset=Occupation.objects.none(), required=False,
                                        empty_label=_("不确定"))
    category = forms.ChoiceField(label=_("投诉类别"))
    text = forms.CharField(label=_("投诉内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("请写明时间、地点、经过和诉求。"))
    attachments = MultipleFileField(label=_("附件"), help_text=ATTACHMENT_HELP)
    anonymous = forms.BooleanField(label=_("匿名投诉（不留姓名；仍可凭查询码查询）"), required=False)
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    mobile = forms.CharField(label=_("手机号码"), max_length=20, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False, help_text=_("填写后，查询码和办理结果会发送到该邮箱。"))

    def __init__(self, *args: Any, organizations: QuerySet[Institution], occupations: QuerySet[Occupation],
                 categories: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_field: Any = self.fields["organization"]
        org_field.queryset = organizations
        occupation_field: Any = self.fields["occupation"]
        occupation_field.queryset = occupations
        category_field: Any = self.fields["category"]
        category_field.choices = [("", _("请选择")), *categories]


class TrackForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=30, help_text=_("提交投诉时显示的16位查询码，如 ABCD-EFGH-JKLM-NPQR"),
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))


class InformationForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("补充说明"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    attachments = MultipleFileField(label=_("补充材料"), help_text=ATTACHMENT_HELP)


class ReactionForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput)
    satisfied = forms.ChoiceField(label=_("您对答复是否满意"), widget=forms.RadioSelect,
                                  choices=[("yes", _("满意")), ("no", _("不满意"))])
    comment = forms.CharField(label=_("说明"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}), help_text=_("不满意时请说明理由。"))


class ForwardForm(forms.Form):
    note = forms.CharField(label=_("转办说明"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class InformationRequestForm(forms.Form):
    text = forms.CharField(label=_("需要补充的内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("发出后办理时限暂停，投诉人补充后恢复计算。"))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("认定结果"), choices=ComplaintDecision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("认定理由（投诉人可见）"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    open_rectification = forms.BooleanField(label=_("责令机构整改（属实或部分属实时）"), required=False)
    rectification_days = forms.IntegerField(label=_("整改期限（工作日）"), min_value=1, max_value=120, required=False)


class ReassignForm(forms.Form):
    level = forms.ChoiceField(label=_("承办层级"), choices=HandlingLevel.choices)
    city = forms.ModelChoiceField(label=_("地市"), queryset=City.objects.none(), required=False,
                                  empty_label=_("不变"))
    reason = forms.CharField(label=_("改派理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, cities: QuerySet[City], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        city_field: Any = self.fields["city"]
        city_field.queryset = cities


class OrganizationAnswerForm(forms.Form):
    text = forms.CharField(label=_("答复内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField(label=_("证明材料"), help_text=ATTACHMENT_HELP)


class ComplaintFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *ComplaintState.choices], required=False)
    level = forms.ChoiceField(label=_("承办层级"), choices=[("", _("全部")), *HandlingLevel.choices], required=False)
    overdue = forms.BooleanField(label=_("只看超期"), required=False)
    q = forms.CharField(label=_("机构名称"), max_length=100, required=False)

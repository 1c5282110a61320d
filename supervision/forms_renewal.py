"""Forms of the renewal pages: the organization's declarations and occupations, a material, the officers' reasons."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from filings.models import FilingOccupation

from .models import RenewalState


class RenewalDeclarationForm(forms.Form):
    """One yes/no box per declaration of the pack's renewal facts, and the occupations to renew."""

    occupations = forms.MultipleChoiceField(label=_("申请续期的职业（工种）"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, fields: list[Any], lines: list[FilingOccupation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in fields:
            if field.kind == "boolean":
                self.fields[f"fact_{field.key}"] = forms.BooleanField(label=field.label, required=False)
        occupations = self.fields["occupations"]
        assert isinstance(occupations, forms.MultipleChoiceField)
        occupations.choices = [(str(line.pk), str(line)) for line in lines]

    def facts(self) -> dict[str, bool]:
        return {name.removeprefix("fact_"): bool(value) for name, value in self.cleaned_data.items()
                if name.startswith("fact_")}


class RenewalDocumentForm(forms.Form):
    checklist_key = forms.ChoiceField(label=_("材料项"))
    file = forms.FileField(label=_("文件"), help_text=_("PDF、JPG、PNG、DOCX 或 XLSX"))

    def __init__(self, *args: Any, items: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        key = self.fields["checklist_key"]
        assert isinstance(key, forms.ChoiceField)
        key.choices = [(i.key, i.label) for i in items]


class RenewalReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False)


class RenewalFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *RenewalState.choices], required=False)

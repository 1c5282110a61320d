"""Translations kept per language give what gettext gives, in each language."""

from django.utils import translation

from portal.models import SkillLevel
from portal.translated import gettext_kept, label_kept


def test_a_kept_text_follows_the_active_language() -> None:
    with translation.override("en"):
        english = (gettext_kept("证书未被撤销或换发"), label_kept(SkillLevel(3)))
        assert english == (translation.gettext("证书未被撤销或换发"), str(SkillLevel(3).label))
    with translation.override("zh-hans"):
        assert (gettext_kept("证书未被撤销或换发"), label_kept(SkillLevel(3))) == ("证书未被撤销或换发", "三级/高级工")
    with translation.override("en"):
        assert (gettext_kept("证书未被撤销或换发"), label_kept(SkillLevel(3))) == english
    assert english[0] != "证书未被撤销或换发"  # the English catalog has it

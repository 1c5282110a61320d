"""Translations kept per language give what gettext gives, in each language."""

from django.utils import translation

from portal.models import SkillLevel
from portal.translated import gettext_kept, kept_gettext, label_kept


def test_a_kept_text_follows_the_active_language() -> None:
    with translation.override("en"):
        english = (gettext_kept("证书未被撤销或换发"), label_kept(SkillLevel(3)))
        assert english == (translation.gettext("证书未被撤销或换发"), str(SkillLevel(3).label))
    with translation.override("zh-hans"):
        assert (gettext_kept("证书未被撤销或换发"), label_kept(SkillLevel(3))) == ("证书未被撤销或换发", "三级/高级工")
    with translation.override("en"):
        assert (gettext_kept("证书未被撤销或换发"), label_kept(SkillLevel(3))) == english
    assert english[0] != "证书未被撤销或换发"  # the English catalog has it


def test_kept_gettext_translates_into_the_language_active_when_it_was_made() -> None:
    message = "二维码签名有效"
    with translation.override("en"):
        english = kept_gettext()
        assert english(message) == translation.gettext(message) != message
        assert label_kept(SkillLevel(3), "en") == str(SkillLevel(3).label)
    with translation.override("zh-hans"):
        chinese = kept_gettext()
        assert (chinese(message), label_kept(SkillLevel(3), "zh-hans")) == (message, "三级/高级工")
    with translation.override("en"):
        assert chinese(message) == message and english(message) != message
        assert chinese("证书库记录为有效，无撤销或换发记录") == "证书库记录为有效，无撤销或换发记录"  # first asked now

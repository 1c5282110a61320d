"""The trainee feedback a holder gave, as a section of their skill-bank record (registered with portal.holder_record)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.holder_record import RecordSection, register

from .selectors import trainee_feedback_by_holder


@register
def trainee_feedback_section(id_number: str) -> RecordSection:
    """学员反馈: one row per response the holder of `id_number` gave (nobody else's)."""
    rows = [
        [f.certificate.number, f.institution.name, timezone.localtime(f.submitted_at).strftime("%Y-%m-%d"),
         f.get_employment_status_display(), f.get_training_satisfaction_display(),
         f.get_evaluation_satisfaction_display(), f.comment]
        for f in trainee_feedback_by_holder(id_number)
    ]
    return RecordSection(
        key="trainee_feedback", title=_("我提交的学员反馈"),
        columns=[_("证书编号"), _("评价机构"), _("提交日期"), _("就业状态"), _("对培训的满意度"),
                 _("对评价（考核）的满意度"), _("意见和建议")],
        rows=rows, empty_text=_("尚未提交学员反馈。"),
    )

"""App configuration of filings."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingsConfig(AppConfig):
    name = "filings"
    verbose_name = _("备案申请")

    def ready(self) -> None:
        # register the demo steps and worklist providers
        from django.db.models.signals import post_save

        from portal.models import AuditEvent

        from . import demo_data, worklists  # noqa: F401
        from .models import Filing
        from .selectors import forget_standing

        def filing_saved(sender: type, instance: Filing, **kwargs: object) -> None:
            forget_standing(instance.pk)

        def event_recorded(sender: type, instance: AuditEvent, **kwargs: object) -> None:
            if instance.object_type == Filing._meta.label_lower and instance.object_id.isdigit():
                forget_standing(int(instance.object_id))

        # the public verify checklist reads a filing's history from the cache: any change to it drops the copy
        post_save.connect(filing_saved, sender=Filing, dispatch_uid="filings.forget_standing.filing", weak=False)
        post_save.connect(event_recorded, sender=AuditEvent, dispatch_uid="filings.forget_standing.event", weak=False)

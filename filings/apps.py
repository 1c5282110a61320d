"""App configuration of filings."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingsConfig(AppConfig):
    name = "filings"
    verbose_name = _("备案申请")

    def ready(self) -> None:
        # register the demo steps and worklist providers
        from . import demo_data, worklists  # noqa: F401

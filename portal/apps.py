"""App configuration of the platform core."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("平台核心")

    def ready(self) -> None:
        from . import demo_data, home, publicity, text  # noqa: F401  (register the core's demo step and worklist providers)

        text.install()
